import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { admin, consumer } from './helpers/factories.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

describe('accounts', () => {
  it('registers a consumer, logs in, sees itself, logs out', async () => {
    const c = new Client(t.app);
    const reg = await c.post('/api/v1/auth/register', {
      email: 'Wang@Example.com',
      password: 'long-enough-1',
      displayName: '小王',
    });
    expect(reg.statusCode).toBe(201);
    expect(reg.json().user).toMatchObject({ email: 'wang@example.com', role: 'consumer' });
    const sid = reg.cookies.find((x) => x.name === 'sid');
    expect(sid?.httpOnly).toBe(true);
    expect(sid?.sameSite).toBe('Lax');
    expect((await c.get('/api/v1/auth/me')).json().user.email).toBe('wang@example.com');
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();
    const login = await c.post('/api/v1/auth/login', { email: 'wang@example.com', password: 'long-enough-1' });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.role).toBe('consumer');
  });

  it('stores passwords hashed with scrypt, never in clear', async () => {
    const c = await consumer(t.app);
    const row = t.app.sqlite.prepare('SELECT password_hash FROM users WHERE email = ?').get(c.email) as {
      password_hash: string;
    };
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain('correct-horse-1');
  });

  it('rejects a wrong password and an unknown e-mail with the same message', async () => {
    const c = await consumer(t.app);
    const other = new Client(t.app);
    const wrong = await other.post('/api/v1/auth/login', { email: c.email, password: 'wrong-password' });
    const unknown = await other.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it.each([
    [{ email: 'not-an-email', password: 'long-enough-1', displayName: '小王' }, 'email'],
    [{ email: 'a@example.com', password: 'short', displayName: '小王' }, 'password'],
    [{ email: 'a@example.com', password: 'long-enough-1', displayName: '' }, 'displayName'],
    [{ email: 'a@example.com', password: 'long-enough-1', displayName: '王'.repeat(21) }, 'displayName'],
    [{ email: 'a@example.com', password: 'x'.repeat(129), displayName: '小王' }, 'password'],
  ])('rejects bad registration %j with a field error', async (payload, field) => {
    const res = await new Client(t.app).post('/api/v1/auth/register', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe(field);
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses a second account on the same e-mail', async () => {
    const c = await consumer(t.app);
    const res = await new Client(t.app).post('/api/v1/auth/register', {
      email: c.email.toUpperCase(),
      password: 'long-enough-1',
      displayName: '另一个',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' });
  });

  it('requires the CSRF token on login, register and logout', async () => {
    const c = new Client(t.app);
    for (const url of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/logout']) {
      const res = await c.post(
        url,
        { email: 'a@example.com', password: 'long-enough-1', displayName: '小王' },
        { csrf: false },
      );
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('CSRF');
    }
    const forged = await c.post(
      '/api/v1/auth/login',
      { email: 'a@example.com', password: 'x' },
      { csrf: false, headers: { 'x-csrf-token': 'forged' } },
    );
    expect(forged.statusCode).toBe(403);
  });

  it('bootstraps the admin from ADMIN_EMAIL/ADMIN_PASSWORD and updates its password on restart', async () => {
    await t.close();
    t = await makeApp({ admin: { email: 'root@example.com', password: 'first-password' } });
    let res = await new Client(t.app).post('/api/v1/auth/login', {
      email: 'root@example.com',
      password: 'first-password',
    });
    expect(res.json().user.role).toBe('admin');
    await t.app.accounts.ensureAdmin({ actor: null, clock: t.clock }, 'root@example.com', 'second-password');
    res = await new Client(t.app).post('/api/v1/auth/login', { email: 'root@example.com', password: 'first-password' });
    expect(res.statusCode).toBe(401);
    res = await new Client(t.app).post('/api/v1/auth/login', {
      email: 'root@example.com',
      password: 'second-password',
    });
    expect(res.statusCode).toBe(200);
  });

  it('lets only an admin create provider-staff accounts bound to one provider', async () => {
    const a = await admin(t.app);
    const c = await consumer(t.app);
    const body = { email: 'agent@alipay.example', password: 'staff-password-1', displayName: '支付宝客服' };
    expect((await c.post('/api/v1/admin/providers/alipay/staff', body)).statusCode).toBe(404);
    expect((await new Client(t.app).post('/api/v1/admin/providers/alipay/staff', body)).statusCode).toBe(401);
    const res = await a.post('/api/v1/admin/providers/alipay/staff', body);
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ role: 'provider_staff', provider: 'alipay' });
    expect((await a.post('/api/v1/admin/providers/no-such/staff', { ...body, email: 'x@y.example' })).statusCode).toBe(
      404,
    );
  });

  it('expires sessions after 30 days', async () => {
    const c = await consumer(t.app);
    t.clock.advance(31 * 24 * 3600_000);
    expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();
  });
});

describe('login rate limit', () => {
  it('answers 429 with a Chinese message after too many attempts', async () => {
    await t.close();
    t = await makeApp({ rateLimits: true });
    const c = new Client(t.app);
    const codes: number[] = [];
    for (let i = 0; i < 12; i++)
      codes.push((await c.post('/api/v1/auth/login', { email: 'x@example.com', password: 'wrong-one-1' })).statusCode);
    expect(codes.slice(0, 10).every((s) => s === 401)).toBe(true);
    const last = await c.post('/api/v1/auth/login', { email: 'x@example.com', password: 'wrong-one-1' });
    expect(last.statusCode).toBe(429);
    expect(last.json().error.code).toBe('RATE_LIMITED');
    expect(last.json().error.message).toMatch(/频繁/);
  });
});
