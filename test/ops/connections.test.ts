// Slow and greedy clients against a real listening server: the server, not the client, ends a slow-loris, and one
// address cannot hold more sockets than the cap while the ones it holds keep working.
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { testConfig } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { dribble, getOnce, rawConnect } from './sockets.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function listening(http: Partial<ReturnType<typeof testConfig>['http']>): Promise<number> {
  t = await makeApp({ http: { ...testConfig().http, ...http } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return (t.app.server.address() as AddressInfo).port;
}

describe('slow clients', () => {
  it('closes a connection whose headers arrive one byte at a time', async () => {
    const port = await listening({ headersTimeoutMs: 300, requestTimeoutMs: 1000 });
    const c = await rawConnect(port);
    const headers = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;
    const { sent } = await dribble(c, headers, 50);
    await c.closed;
    expect(sent).toBeLessThan(headers.length); // the server hung up before the client was done
    expect(c.received()).not.toContain('200 OK');
  });

  it('closes a connection whose body arrives one byte at a time', async () => {
    const port = await listening({ headersTimeoutMs: 300, requestTimeoutMs: 1000 });
    const c = await rawConnect(port);
    const body = JSON.stringify({ email: 'slow@example.com', password: 'x'.repeat(300) });
    c.socket.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    const { sent } = await dribble(c, body, 50);
    await c.closed;
    expect(sent).toBeLessThan(body.length);
  });

  it('closes a connection that stops sending mid-body (idle timeout)', async () => {
    const port = await listening({ headersTimeoutMs: 300, requestTimeoutMs: 60_000, idleTimeoutMs: 300 });
    const c = await rawConnect(port);
    c.socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":',
    );
    await c.closed;
    expect(c.isClosed()).toBe(true);
  });
});

describe('connections per address', () => {
  it('refuses the connection over the cap with a 503 while the others keep working', async () => {
    const port = await listening({ maxConnectionsPerIp: 2 });
    const a = await rawConnect(port);
    const b = await rawConnect(port);
    expect(await getOnce(a, '/healthz')).toContain('200');
    expect(await getOnce(b, '/healthz')).toContain('200');

    const over = await rawConnect(port);
    over.socket.write('GET /api/v1/providers HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await over.closed;
    const [head, body] = over.received().split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 503/);
    expect(head.toLowerCase()).toContain('retry-after: 10');
    expect(JSON.parse(body).error).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
    expect(JSON.parse(body).error.message).toMatch(/连接过多/);

    // The two held connections still answer, and a freed slot is given to the next connection.
    expect(await getOnce(a, '/healthz')).toContain('200');
    expect(await getOnce(b, '/healthz')).toContain('200');
    a.socket.end();
    await a.closed;
    const next = await rawConnect(port);
    await expect
      .poll(() => getOnce(next, '/healthz').catch((e: Error) => e.message), { timeout: 5000 })
      .toContain('200');
    b.socket.destroy();
    next.socket.destroy();
  });

  it('does not cap the addresses TRUST_PROXY lists as proxies', async () => {
    t = await makeApp({ http: { ...testConfig().http, maxConnectionsPerIp: 1 }, trustProxy: ['127.0.0.1'] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const clients = await Promise.all([1, 2, 3].map(() => rawConnect(port)));
    for (const c of clients) expect(await getOnce(c, '/healthz')).toContain('200');
    for (const c of clients) c.socket.destroy();
  });
});
