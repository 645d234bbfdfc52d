// Admin users screen: search, detail without secrets, disable ends sessions and blocks login, never oneself or the
// last admin, resend verification enqueues a mail with a fresh link; non-admins are told nothing exists.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, consumer, staff } from '../helpers/factories.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const emails = () =>
  (t.app.sqlite.prepare("SELECT payload FROM outbox WHERE topic = 'email' ORDER BY id").pluck().all() as string[]).map(
    (p) => JSON.parse(p) as { to: string; kind: string; text: string; purgeOnDone?: boolean },
  );

describe('admin users', () => {
  it('finds accounts by e-mail prefix or display-name prefix, filters by role, pages 50 at a time', async () => {
    const a = await admin(t.app);
    const c = await consumer(t.app, { displayName: '张小明' });
    await consumer(t.app, { displayName: '李四' });
    const s = await staff(t.app, 'alipay', a);

    const byEmail = (
      await a.get(`/api/v1/admin/users?q=${encodeURIComponent(c.email.slice(0, 12).toUpperCase())}`)
    ).json();
    expect(byEmail.items.map((u: { id: number }) => u.id)).toContain(c.userId);
    expect(byEmail.items.every((u: { email: string }) => u.email.startsWith('consumer-'))).toBe(true);
    const byName = (await a.get(`/api/v1/admin/users?q=${encodeURIComponent('张小')}`)).json();
    expect(byName.items).toHaveLength(1);
    expect(byName.items[0]).toMatchObject({ id: c.userId, displayName: '张小明', role: 'consumer', disabled: false });
    // A LIKE wildcard is taken literally.
    expect((await a.get('/api/v1/admin/users?q=%25')).json().items).toHaveLength(0);
    const staffOnly = (await a.get('/api/v1/admin/users?role=provider_staff')).json();
    expect(staffOnly.items.map((u: { id: number }) => u.id)).toEqual([s.userId]);
    expect(staffOnly.items[0].provider).toEqual({ slug: 'alipay', name: expect.any(String) });

    // Many accounts without hashing 55 passwords: rows as registration leaves them.
    const insert = t.app.sqlite.prepare(
      "INSERT INTO users (email, password_hash, display_name, role, created_at, updated_at) VALUES (?, 'x', ?, 'consumer', ?, ?)",
    );
    for (let i = 0; i < 55; i++) insert.run(`bulk-${i}@example.com`, `批量${i}`, t.clock.now(), t.clock.now());
    const first = (await a.get('/api/v1/admin/users?q=bulk-')).json();
    expect(first.items).toHaveLength(50);
    expect(first.items[0].email).toBe('bulk-54@example.com'); // newest first
    const second = (await a.get(`/api/v1/admin/users?q=bulk-&before=${first.nextBefore}`)).json();
    expect(second.items).toHaveLength(5);
    expect(second.nextBefore).toBeNull();
    const page = await a.get(`/admin/users?q=bulk-`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/admin/users?q&#x3D;bulk-&amp;before&#x3D;${first.nextBefore}" rel="next"`);
  });

  it('shows an account without its password hash', async () => {
    const a = await admin(t.app);
    const c = await consumer(t.app);
    const res = await a.get(`/api/v1/admin/users/${c.userId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: c.userId,
      role: 'consumer',
      emailVerified: false,
      disabled: false,
      twoFactor: false,
      complaints: 0,
      provider: null,
    });
    expect(res.body).not.toMatch(/scrypt|passwordHash|totp/i);
    const page = await a.get(`/admin/users/${c.userId}`);
    expect(page.body).toContain(c.email);
    expect(page.body).not.toContain('scrypt');
    expect((await a.get('/api/v1/admin/users/999999')).statusCode).toBe(404);
  });

  it('disabling ends every session and blocks login; enabling lets the person back in', async () => {
    const a = await admin(t.app);
    const c = await consumer(t.app);
    expect((await c.get('/api/v1/auth/me')).json().user).not.toBeNull();
    const res = await a.post(`/api/v1/admin/users/${c.userId}/disable`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ disabled: true });
    expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();
    expect(t.app.sqlite.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(c.userId)).toBe(0);
    const login = await new Client(t.app).post('/api/v1/auth/login', { email: c.email, password: 'correct-horse-1' });
    expect(login.statusCode).toBe(401);
    expect(login.json().error.code).toBe('ACCOUNT_DISABLED');

    const page = await a.form(`/admin/users/${c.userId}/enable`, {});
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/admin/users/${c.userId}?done=enabled`);
    const again = await new Client(t.app).post('/api/v1/auth/login', { email: c.email, password: 'correct-horse-1' });
    expect(again.statusCode).toBe(200);
  });

  it('refuses to disable oneself and the last admin who can sign in', async () => {
    const a = await admin(t.app);
    const me = (await a.get('/api/v1/auth/me')).json().user.id as number;
    const self = await a.post(`/api/v1/admin/users/${me}/disable`);
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('CANNOT_DISABLE_SELF');
    const page = await a.form(`/admin/users/${me}/disable`, {});
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('不能停用自己的账户');

    // Two admins disabling each other at once: the second finds itself the last one standing.
    const b = await admin(t.app);
    const bId = (await b.get('/api/v1/auth/me')).json().user.id as number;
    const bActor = { id: bId, role: 'admin' as const, email: b.email, displayName: '平台管理员', providerId: null };
    expect((await a.post(`/api/v1/admin/users/${bId}/disable`)).statusCode).toBe(200);
    expect(() => t.app.adminUsers.disable({ actor: bActor, clock: t.clock }, me)).toThrow('最后一个');
    expect((await a.get('/api/v1/auth/me')).json().user.id).toBe(me);
  });

  it('resends the verification mail with a fresh 7-day link, and says so when already verified', async () => {
    const a = await admin(t.app);
    const c = await consumer(t.app);
    const before = emails().length;
    const res = await a.post(`/api/v1/admin/users/${c.userId}/resend-verification`);
    expect(res.statusCode).toBe(202);
    const mail = emails()
      .slice(before)
      .find((m) => m.to === c.email)!;
    expect(mail).toMatchObject({ kind: 'verify_email', purgeOnDone: true });
    const token = /\/verify-email\?token=([\w-]+)/.exec(mail.text)![1]!;
    expect(t.app.accountTokens.peek({ actor: null, clock: t.clock }, token, 'verify_email')).toBe(c.userId);
    t.clock.advance(7 * 24 * 3600_000 + 1);
    expect(t.app.accountTokens.peek({ actor: null, clock: t.clock }, token, 'verify_email')).toBeNull();

    t.app.sqlite.prepare('UPDATE users SET email_verified_at = 1 WHERE id = ?').run(c.userId);
    const done = await a.post(`/api/v1/admin/users/${c.userId}/resend-verification`);
    expect(done.statusCode).toBe(409);
    expect(done.json().error.code).toBe('ALREADY_VERIFIED');
  });

  it('answers 404 to consumers and staff, 401 to anonymous callers, and 403 without the CSRF token', async () => {
    const a = await admin(t.app);
    const c = await consumer(t.app);
    const s = await staff(t.app, 'alipay', a);
    for (const who of [c, s]) {
      expect((await who.get('/api/v1/admin/users')).statusCode).toBe(404);
      expect((await who.get(`/api/v1/admin/users/${c.userId}`)).statusCode).toBe(404);
      expect((await who.post(`/api/v1/admin/users/${c.userId}/disable`)).statusCode).toBe(404);
      expect((await who.get('/admin/users', { accept: 'text/html' })).statusCode).toBe(404);
      expect((await who.get('/admin/audit', { accept: 'text/html' })).statusCode).toBe(404);
      expect((await who.get('/api/v1/admin/audit')).statusCode).toBe(404);
    }
    expect((await new Client(t.app).get('/api/v1/admin/users')).statusCode).toBe(401);
    const anonPage = await new Client(t.app).get('/admin/users');
    expect(anonPage.statusCode).toBe(303);
    expect(anonPage.headers.location).toBe('/login?next=%2Fadmin%2Fusers');
    expect((await a.post(`/api/v1/admin/users/${c.userId}/disable`, undefined, { csrf: false })).statusCode).toBe(403);
    expect((await a.get(`/api/v1/admin/users/${c.userId}`)).json().disabled).toBe(false);
  });
});
