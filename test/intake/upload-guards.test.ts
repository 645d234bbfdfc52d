// On a real port: an upload is refused by its headers alone (no session, no CSRF token, rate limited, over the
// per-request or process byte budget) while its body is still on the way, and nothing of it reaches the disk.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { pdf } from '../helpers/files.ts';
import { multipartBody, openPost } from '../helpers/raw-http.ts';

const MiB = 1024 * 1024;
let t: TestApp;
let port: number;
afterEach(async () => {
  await t.close();
});

async function start(overrides: Partial<Config> = {}) {
  t = await makeApp(overrides);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
}
const tempFiles = () => readdirSync(join(t.dataDir, 'uploads', 'tmp'));
const fields = () =>
  Object.fromEntries(Object.entries(complaintInput()).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
const bigPdf = (bytes: number) => Buffer.concat([pdf(), Buffer.alloc(bytes - pdf().length, 0x20)]);

/** 5 × 10 MB declared, 1 MB sent: the rest never comes unless the test sends it. */
function attack() {
  const { body, contentType } = multipartBody(
    fields(),
    Array.from({ length: 5 }, (_, i) => ({ filename: `f${i}.pdf`, data: bigPdf(10 * MiB - 1024) })),
  );
  return {
    first: body.subarray(0, MiB),
    headers: { 'content-type': contentType, 'content-length': String(body.length) },
  };
}

describe('refused before the body is read', () => {
  it('answers an anonymous upload (no cookie, no token) with 403 while its body is unsent, closes, and writes nothing', async () => {
    await start();
    const a = attack();
    const req = await openPost(port, '/api/v1/complaints', a.headers, a.first);
    const res = await req.response;
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('CSRF');
    expect(res.headers.connection).toBe('close');
    await req.closed; // the server hung up instead of reading the other 49 MB
    expect(tempFiles()).toEqual([]);
    expect(t.app.uploads.budget.inFlight).toBe(0);
  });

  it('answers an upload with a valid CSRF token but no session with 401, unread', async () => {
    await start();
    const anonymous = new Client(t.app);
    const token = await anonymous.csrf();
    const a = attack();
    const req = await openPost(
      port,
      '/api/v1/complaints',
      { ...a.headers, cookie: anonymous.cookieHeader, 'x-csrf-token': token },
      a.first,
    );
    const res = await req.response;
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHENTICATED');
    await req.closed;
    expect(tempFiles()).toEqual([]);
    expect(t.app.uploads.budget.inFlight).toBe(0);
  });

  it('answers a logged-in upload without the CSRF token with 403, unread', async () => {
    await start();
    const c = await consumer(t.app);
    const a = attack();
    const req = await openPost(port, '/api/v1/complaints', { ...a.headers, cookie: c.cookieHeader }, a.first);
    const res = await req.response;
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('CSRF');
    await req.closed;
    expect(tempFiles()).toEqual([]);
  });

  it('answers a rate-limited upload with 429, unread', async () => {
    await start({ rateLimits: true });
    for (let i = 0; i < 20; i++) {
      const r = await openPost(port, '/api/v1/complaints', {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': '10',
      });
      expect((await r.response).status).toBe(403);
      r.socket.destroy();
    }
    const a = attack();
    const req = await openPost(port, '/api/v1/complaints', a.headers, a.first);
    const res = await req.response;
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    await req.closed;
    expect(tempFiles()).toEqual([]);
  });

  it('refuses multipart on a route that takes none (logout) with 415, unread', async () => {
    await start();
    const a = attack();
    const req = await openPost(port, '/api/v1/auth/logout', a.headers, a.first);
    const res = await req.response;
    expect(res.status).toBe(415);
    await req.closed;
    expect(tempFiles()).toEqual([]);
  });

  it('refuses a body declared over the per-request budget with 413, unread', async () => {
    await start();
    const c = await consumer(t.app);
    const req = await openPost(
      port,
      '/api/v1/complaints',
      {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(t.app.config.uploads.requestMaxBytes + 1),
        cookie: c.cookieHeader,
        'x-csrf-token': await c.csrf(),
      },
      Buffer.alloc(64 * 1024, 0x61),
    );
    const res = await req.response;
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'TOO_LARGE', field: 'attachments' });
    await req.closed;
    expect(tempFiles()).toEqual([]);
  });
});

describe('the process-wide upload budget', () => {
  it('answers 503 with Retry-After while earlier uploads hold the budget, then accepts once they are done', async () => {
    await start({
      uploads: { maxFileBytes: 2 * MiB, maxFiles: 2, requestMaxBytes: 3 * MiB, inflightMaxBytes: 3 * MiB },
    });
    const c = await consumer(t.app);
    const auth = { cookie: c.cookieHeader, 'x-csrf-token': await c.csrf() };
    const first = multipartBody(fields(), [{ filename: 'a.pdf', data: bigPdf(2 * MiB - 4096) }]);
    const holder = await openPost(
      port,
      '/api/v1/complaints',
      { ...auth, 'content-type': first.contentType, 'content-length': String(first.body.length) },
      first.body.subarray(0, MiB),
    );
    await vi.waitFor(() => expect(t.app.uploads.budget.inFlight).toBe(first.body.length));

    const second = multipartBody(fields(), [{ filename: 'b.pdf', data: bigPdf(MiB + 64 * 1024) }]);
    const refused = await openPost(
      port,
      '/api/v1/complaints',
      { ...auth, 'content-type': second.contentType, 'content-length': String(second.body.length) },
      second.body.subarray(0, 1024),
    );
    const res = await refused.response;
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'BUSY', field: 'attachments' });
    expect(JSON.parse(res.body).error.message).toMatch(/[\u4e00-\u9fff]/);
    await refused.closed;
    await holder.send(first.body.subarray(MiB));
    expect((await holder.response).status).toBe(201);
    await vi.waitFor(() => expect(t.app.uploads.budget.inFlight).toBe(0));
    const again = await c.multipart('/api/v1/complaints', fields(), [
      { filename: 'b.pdf', data: bigPdf(MiB + 64 * 1024) },
    ]);
    expect(again.statusCode).toBe(201);
    expect(tempFiles()).toEqual([]);
  });
});

describe('an accepted upload', () => {
  it('streams to a temporary file while it arrives, then lands under its content hash', async () => {
    await start();
    const c = await consumer(t.app);
    const data = bigPdf(4 * MiB);
    const { body, contentType } = multipartBody(fields(), [{ filename: '账单.pdf', data, type: 'application/pdf' }]);
    const req = await openPost(
      port,
      '/api/v1/complaints',
      {
        'content-type': contentType,
        'content-length': String(body.length),
        cookie: c.cookieHeader,
        'x-csrf-token': await c.csrf(),
      },
      body.subarray(0, 2 * MiB),
    );
    // Half the body is in: part of the file is already on disk, in the temporary folder.
    await vi.waitFor(() => {
      const partial = tempFiles().filter((f) => f.startsWith('incoming-'));
      expect(partial).toHaveLength(1);
      expect(readFileSync(join(t.dataDir, 'uploads', 'tmp', partial[0]!)).length).toBeGreaterThan(0);
    });
    await req.send(body.subarray(2 * MiB));
    const res = await req.response;
    expect(res.status).toBe(201);
    const sha = createHash('sha256').update(data).digest('hex');
    expect(readFileSync(join(t.dataDir, 'uploads', sha.slice(0, 2), sha)).equals(data)).toBe(true);
    expect(tempFiles()).toEqual([]);
    const view = (await c.get(`/api/v1/complaints/${JSON.parse(res.body).id}`)).json();
    expect(view.attachments).toMatchObject([{ name: '账单.pdf', mime: 'application/pdf', sizeBytes: data.length }]);
  });

  it('removes the temporary file of a client that gives up half-way', async () => {
    await start();
    const c = await consumer(t.app);
    const { body, contentType } = multipartBody(fields(), [{ filename: 'a.pdf', data: bigPdf(4 * MiB) }]);
    const req = await openPost(
      port,
      '/api/v1/complaints',
      {
        'content-type': contentType,
        'content-length': String(body.length),
        cookie: c.cookieHeader,
        'x-csrf-token': await c.csrf(),
      },
      body.subarray(0, 2 * MiB),
    );
    await vi.waitFor(() => expect(tempFiles()).toHaveLength(1));
    req.socket.destroy();
    await vi.waitFor(() => expect(tempFiles()).toEqual([]));
    await vi.waitFor(() => expect(t.app.uploads.budget.inFlight).toBe(0));
    expect((t.app.sqlite.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n).toBe(0);
  });
});

it('the page forms carry the CSRF token in their action, so the check needs no body', async () => {
  await start();
  const c = await consumer(t.app);
  const page = await c.get('/complaints/new', { accept: 'text/html' });
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.body)?.[1] ?? '';
  expect(action).toMatch(/^\/complaints\/new\?_csrf=.+/);
  expect((await c.multipart('/complaints/new', fields(), [], { csrf: false, html: true })).statusCode).toBe(403);
});
