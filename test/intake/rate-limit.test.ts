import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp({ rateLimits: true });
});
afterEach(async () => {
  await t.close();
});

describe('submission rate limit', () => {
  it('accepts 20 complaints a minute from one client, then answers 429 in Chinese until the window passes', async () => {
    const c = await consumer(t.app);
    for (let i = 0; i < 20; i++) expect((await c.post('/api/v1/complaints', complaintInput())).statusCode).toBe(201);
    const limited = await c.post('/api/v1/complaints', complaintInput());
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.json().error.message).toMatch(/操作过于频繁/);
    expect(t.app.sqlite.prepare('SELECT count(*) FROM complaints').pluck().get()).toBe(20);
  });
});

describe('unknown paths', () => {
  it('answers JSON 404 for the API and a Chinese page for browsers', async () => {
    const c = new Client(t.app);
    const api = await c.get('/api/v1/nope');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    const page = await c.get('/nope', { accept: 'text/html' });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('页面不存在');
  });
});
