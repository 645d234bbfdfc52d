// A request written by hand on a real socket, so a test controls how much of the body is sent before it reads the
// answer: the server must be able to refuse an upload whose body has not arrived.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A multipart body as a browser builds it (fields first, then files). */
export function multipartBody(
  fields: Record<string, string>,
  files: { name?: string; filename: string; data: Buffer; type?: string }[],
) {
  const boundary = `----wc${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name ?? 'attachments'}"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
    );
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function parse(raw: Buffer): RawResponse | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (raw.length < end + 4 + length) return null;
  return {
    status: Number(statusLine!.split(' ')[1]),
    headers,
    body: raw.subarray(end + 4, end + 4 + length).toString('utf8'),
  };
}

export interface OpenRequest {
  /** The answer, as soon as it is complete (whether or not the body was sent). */
  response: Promise<RawResponse>;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  send(bytes: Buffer): Promise<void>;
  socket: Socket;
}

/** Opens a POST with the given Content-Length and sends only the headers and `first` bytes of the body. */
export async function openPost(
  port: number,
  path: string,
  headers: Record<string, string>,
  first: Buffer = Buffer.alloc(0),
): Promise<OpenRequest> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const chunks: Buffer[] = [];
  let settle: (r: RawResponse) => void = () => {};
  const response = new Promise<RawResponse>((resolve) => {
    settle = resolve;
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {}); // the server may close while we still write: that is the point
  socket.on('data', (d) => {
    chunks.push(d);
    const r = parse(Buffer.concat(chunks));
    if (r) settle(r);
  });
  const head = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  const send = (bytes: Buffer) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      socket.write(bytes, () => resolve());
    });
  await send(Buffer.concat([Buffer.from(head, 'latin1'), first]));
  return { response, closed, send, socket };
}
