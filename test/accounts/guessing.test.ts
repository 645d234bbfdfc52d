// Guessing passwords and holding on to sessions: the per-account backoff (429 LOGIN_BACKOFF with Retry-After, never a
// lockout), one per-IP bucket shared by every login form, the session id and CSRF secret rotated at login, the idle
// timeout, and every session ending when the admin's password changes at start.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { consumer } from '../helpers/factories.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const PASSWORD = 'correct-horse-1';
const login = (c: Client, email: string, password: string) => c.post('/api/v1/auth/login', { email, password });

describe('per-account backoff', () => {
  it('lets five failures pass, then makes each next try wait 1 s, 2 s … refusing even the right password meanwhile', async () => {
    const c = await consumer(t.app);
    const guesser = new Client(t.app);
    for (let i = 0; i < 5; i++) expect((await login(guesser, c.email, `wrong-guess-${i}`)).statusCode).toBe(401);

    const refused = await login(guesser, c.email, PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error).toMatchObject({ code: 'LOGIN_BACKOFF', field: 'password' });
    expect(refused.json().error.message).toMatch(/登录失败次数过多.*1 秒后再试/);

    t.clock.advance(1000);
    expect((await login(guesser, c.email, 'wrong-guess-6')).statusCode).toBe(401);
    const second = await login(guesser, c.email, 'wrong-guess-7');
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toBe('2');

    t.clock.advance(2000);
    expect((await login(guesser, c.email, 'wrong-guess-8')).statusCode).toBe(401);
    expect((await login(guesser, c.email, PASSWORD)).headers['retry-after']).toBe('4');

    // The wait passed: the right password logs in and the count starts again (five free failures).
    t.clock.advance(4000);
    expect((await login(new Client(t.app), c.email, PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(guesser, c.email, `wrong-again-${i}`)).statusCode).toBe(401);
    expect((await login(guesser, c.email, PASSWORD)).statusCode).toBe(429);
  });

  it('caps the wait at 15 minutes, and it never becomes a lockout', async () => {
    const c = await consumer(t.app);
    const guesser = new Client(t.app);
    let retry = 0;
    for (let i = 0; i < 40; i++) {
      const r = await login(guesser, c.email, `wrong-guess-${i}`);
      if (r.statusCode === 429) {
        retry = Number(r.headers['retry-after']);
        t.clock.advance(retry * 1000);
      } else expect(r.statusCode).toBe(401);
    }
    expect(retry).toBe(15 * 60);
    expect((await login(new Client(t.app), c.email, PASSWORD)).statusCode).toBe(200);
  });

  it('says so beside the password on the login page, with Retry-After', async () => {
    const c = await consumer(t.app);
    const guesser = new Client(t.app);
    for (let i = 0; i < 5; i++) await guesser.form('/login', { email: c.email, password: `wrong-guess-${i}` });
    const page = await guesser.form('/login', { email: c.email, password: PASSWORD });
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toBe('1');
    expect(page.body).toContain('id="password-error"');
    expect(page.body).toContain('登录失败次数过多');
    expect(page.cookies.find((x) => x.name === 'sid')).toBeUndefined();
  });

  it('is not triggered by an unknown address', async () => {
    const guesser = new Client(t.app);
    for (let i = 0; i < 8; i++)
      expect((await login(guesser, 'nobody@example.com', `wrong-guess-${i}`)).statusCode).toBe(401);
  });
});

describe('one per-IP bucket for every login form', () => {
  it('counts /login, /merchant/login and the API together', async () => {
    await t.close();
    t = await makeApp({ rateLimits: true });
    const c = new Client(t.app);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await c.form('/login', { email: `a${i}@example.com`, password: 'wrong-one-1' })).statusCode);
    for (let i = 0; i < 3; i++)
      codes.push((await c.form('/merchant/login', { email: `b${i}@example.com`, password: 'wrong-one-1' })).statusCode);
    for (let i = 0; i < 3; i++) codes.push((await login(c, `c${i}@example.com`, 'wrong-one-1')).statusCode);
    expect(codes).toEqual(Array(10).fill(401));
    const api = await login(c, 'd@example.com', 'wrong-one-1');
    expect(api.statusCode).toBe(429);
    expect(api.json().error.code).toBe('RATE_LIMITED');
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    const page = await c.form('/merchant/login', { email: 'e@example.com', password: 'wrong-one-1' });
    expect(page.statusCode).toBe(429);
    expect(page.body).toContain('登录尝试过于频繁');
    // Another address has its own bucket.
    const elsewhere = { remoteAddress: '192.0.2.7' };
    const tokenRes = await t.app.inject({ method: 'GET', url: '/api/v1/auth/csrf', ...elsewhere });
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...elsewhere,
      payload: { email: 'f@example.com', password: 'wrong-one-1' },
      headers: {
        'x-csrf-token': tokenRes.json().token,
        cookie: tokenRes.cookies.map((x) => `${x.name}=${encodeURIComponent(x.value)}`).join('; '),
      },
    });
    expect(other.statusCode).toBe(401);
  });
});

describe('login rotates the session and the CSRF secret', () => {
  it('refuses a CSRF token issued before login, and accepts a fresh one', async () => {
    const c = await consumer(t.app);
    await c.post('/api/v1/auth/logout');
    const before = await c.csrf();
    const res = await login(c, c.email, PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((x) => x.name === '_csrf')).toBeDefined();
    const stale = await c.post('/api/v1/auth/logout', undefined, { csrf: false, headers: { 'x-csrf-token': before } });
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error.code).toBe('CSRF');
    const fresh = await c.csrf();
    expect(fresh).not.toBe(before);
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
  });

  it('refuses the token of the login page itself after a form login (pages render fresh ones)', async () => {
    const c = await consumer(t.app);
    const browser = new Client(t.app);
    const page = await browser.get('/login');
    const pageToken = page.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const params = new URLSearchParams({ _csrf: pageToken, email: c.email, password: PASSWORD });
    const post = (url: string, p: URLSearchParams) =>
      t.app.inject({
        method: 'POST',
        url,
        payload: p.toString(),
        headers: {
          cookie: browser.cookieHeader,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
        },
      });
    const res = await post('/login', params);
    expect(res.statusCode).toBe(303);
    // Keep the cookies the login set, as a browser would.
    const jar = new Map(browser.cookieHeader.split('; ').map((kv) => kv.split('=') as [string, string]));
    for (const ck of res.cookies) jar.set(ck.name, encodeURIComponent(ck.value));
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const stale = await t.app.inject({
      method: 'POST',
      url: '/logout',
      payload: new URLSearchParams({ _csrf: pageToken }).toString(),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(stale.statusCode).toBe(403);
    const home = await t.app.inject({ method: 'GET', url: '/me/complaints', headers: { cookie, accept: 'text/html' } });
    expect(home.statusCode).toBe(200);
    const freshToken = home.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const ok = await t.app.inject({
      method: 'POST',
      url: '/logout',
      payload: new URLSearchParams({ _csrf: freshToken }).toString(),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    expect(ok.statusCode).toBe(303);
  });

  it('gives a new session id and ends the session held before', async () => {
    const a = await consumer(t.app);
    const b = await consumer(t.app);
    const before = a.cookieHeader;
    expect((await login(a, b.email, PASSWORD)).statusCode).toBe(200);
    expect(a.cookieHeader).not.toBe(before);
    expect((await a.get('/api/v1/auth/me')).json().user.email).toBe(b.email);
    const old = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: before } });
    expect(old.json().user).toBeNull();
  });
});

describe('sessions', () => {
  it('end after 7 days without a request, but not while in use', async () => {
    await t.close();
    t = await makeApp({ sessionIdleDays: 7 });
    const c = await consumer(t.app);
    for (let i = 0; i < 4; i++) {
      t.clock.advance(6 * 24 * 3600_000);
      expect((await c.get('/api/v1/auth/me')).json().user?.email).toBe(c.email);
    }
    // 30 days after login the absolute limit ends it anyway, though it was seen 6 days ago.
    t.clock.advance(6 * 24 * 3600_000);
    expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();

    const idle = await consumer(t.app);
    t.clock.advance(7 * 24 * 3600_000 + 1000);
    expect((await idle.get('/api/v1/auth/me')).json().user).toBeNull();
  });

  it('note when they were last seen at most once a minute', async () => {
    const c = await consumer(t.app);
    const seen = () =>
      t.app.sqlite.prepare('SELECT last_seen_at FROM sessions WHERE user_id = ?').pluck().get(c.userId);
    const start = seen();
    t.clock.advance(30_000);
    await c.get('/api/v1/auth/me');
    expect(seen()).toBe(start);
    t.clock.advance(31_000);
    await c.get('/api/v1/auth/me');
    expect(seen()).toBe(t.clock.now());
  });

  it('take the idle timeout from SESSION_IDLE_DAYS', async () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:', SESSION_IDLE_DAYS: '2' }).sessionIdleDays).toBe(2);
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).sessionIdleDays).toBe(7);
    await t.close();
    t = await makeApp({ sessionIdleDays: 2 });
    const c = await consumer(t.app);
    t.clock.advance(2 * 24 * 3600_000 + 1000);
    expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();
  });

  it('all end when ADMIN_PASSWORD changes at start, and stay when it does not', async () => {
    await t.close();
    const ADMIN = { email: 'root@example.com', password: 'first-admin-pass' };
    t = await makeApp({ admin: ADMIN });
    const a1 = new Client(t.app);
    const a2 = new Client(t.app);
    expect((await login(a1, ADMIN.email, ADMIN.password)).statusCode).toBe(200);
    expect((await login(a2, ADMIN.email, ADMIN.password)).statusCode).toBe(200);
    const ctx = { actor: null, clock: t.clock };
    await t.app.accounts.ensureAdmin(ctx, ADMIN.email, ADMIN.password);
    expect((await a1.get('/api/v1/auth/me')).json().user?.role).toBe('admin');
    await t.app.accounts.ensureAdmin(ctx, ADMIN.email, 'second-admin-pass');
    expect((await a1.get('/api/v1/auth/me')).json().user).toBeNull();
    expect((await a2.get('/api/v1/auth/me')).json().user).toBeNull();
    const changed = t.app.sqlite
      .prepare('SELECT password_changed_at FROM users WHERE email = ?')
      .pluck()
      .get(ADMIN.email);
    expect(changed).toBe(t.clock.now());
  });
});
