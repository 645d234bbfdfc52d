// Raw sockets for the connection tests: what a slow or greedy client does, byte by byte.
import { connect, type Socket } from 'node:net';

export interface RawClient {
  socket: Socket;
  received(): string;
  closed: Promise<void>;
  isClosed(): boolean;
}

export async function rawConnect(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (d) => {
    data += d;
  });
  socket.on('error', () => {}); // a reset by the server is one of the outcomes under test
  const closedP = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed: closedP, isClosed: () => closed };
}

/** Writes text one byte at a time, `everyMs` apart, until it is all sent or the server has closed the socket. */
export async function dribble(c: RawClient, text: string, everyMs: number): Promise<{ sent: number }> {
  let sent = 0;
  for (const ch of text) {
    if (c.isClosed() || c.socket.destroyed) break;
    c.socket.write(ch);
    sent++;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return { sent };
}

/** Sends one keep-alive GET and resolves with the status line of its answer. */
export function getOnce(c: RawClient, path: string): Promise<string> {
  const before = c.received().length;
  c.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
  return new Promise((resolve, reject) => {
    const check = () => {
      const text = c.received().slice(before);
      if (text.includes('\r\n\r\n')) {
        cleanup();
        resolve(text.split('\r\n')[0]);
      } else if (c.isClosed()) {
        cleanup();
        reject(new Error(`closed without an answer: ${JSON.stringify(text)}`));
      }
    };
    const cleanup = () => {
      c.socket.off('data', check);
      c.socket.off('close', check);
    };
    c.socket.on('data', check);
    c.socket.on('close', check);
    check();
  });
}
