// Where a login sends the browser afterwards: only a path on this site, as the URL parser (and so the browser) reads
// it. A tab or newline that a browser strips, a backslash it reads as a slash, or a second slash all fall back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeNext } from '../../server/lib/http.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { consumer } from '../helpers/factories.ts';

const FALLBACK = '/fallback';
const HOSTILE = [
  '/\t/evil.example/phish',
  '/\n/x',
  '/\r\n/evil.example',
  '//evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/.//evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  'evil.example',
  ' /me',
  '',
  '/\u0000/x',
];

describe('safeNext', () => {
  it.each(HOSTILE)('falls back for %j', (next) => {
    expect(safeNext(next, FALLBACK)).toBe(FALLBACK);
  });

  it.each([
    ['/complaints/new', '/complaints/new'],
    ['/me/complaints?page=2#top', '/me/complaints?page=2#top'],
    ['/board/%E6%94%AF%E4%BB%98%E5%AE%9D', '/board/%E6%94%AF%E4%BB%98%E5%AE%9D'],
    ['/a/../b', '/b'],
  ])('keeps the local path %j', (next, expected) => {
    expect(safeNext(next, FALLBACK)).toBe(expected);
  });

  it('falls back for anything but a string', () => {
    expect(safeNext(undefined, FALLBACK)).toBe(FALLBACK);
    expect(safeNext(['/x'], FALLBACK)).toBe(FALLBACK);
  });
});

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

describe('after logging in or registering through the pages', () => {
  it.each(HOSTILE.filter((n) => n !== ''))('sends next=%j to the home page, never a 500', async (next) => {
    const c = await consumer(t.app);
    await c.post('/api/v1/auth/logout');
    const page = await c.get(`/login?next=${encodeURIComponent(next)}`);
    expect(page.statusCode).toBe(200);
    const res = await c.form('/login', { email: c.email, password: 'correct-horse-1', next });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/me/complaints');
  });

  it('follows a local next from the login page, the merchant login and registration', async () => {
    const c = await consumer(t.app);
    await c.post('/api/v1/auth/logout');
    const res = await c.form('/login', { email: c.email, password: 'correct-horse-1', next: '/complaints/new?x=1' });
    expect(res.headers.location).toBe('/complaints/new?x=1');

    const reg = await new Client(t.app).form('/register', {
      email: 'fresh-person@example.com',
      password: 'long-enough-pass-7',
      displayName: '新用户',
      next: '/\t/evil.example/phish',
    });
    expect(reg.statusCode).toBe(303);
    expect(reg.headers.location).toBe('/complaints/new');
  });

  it('sends the merchant login with a crafted next home too', async () => {
    const a = new Client(t.app);
    await t.app.accounts.ensureAdmin({ actor: null, clock: t.clock }, 'boss@example.com', 'admin-password-1');
    const res = await a.form('/merchant/login', {
      email: 'boss@example.com',
      password: 'admin-password-1',
      next: '/\n/x',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
  });
});
