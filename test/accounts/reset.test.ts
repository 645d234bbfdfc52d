// Password reset by e-mail, through the API and the pages: the same answer whoever asks, a single-use link valid 30
// minutes (only its hash stored), every session ended, the backoff cleared, and the mail's text gone from the outbox
// once it is sent (purgeOnDone), received by a real SMTP server on loopback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { consumer } from '../helpers/factories.ts';
import { mailText, smtpReceiver, type SmtpReceiver } from '../forwarding/receivers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

interface OutboxRow {
  id: number;
  payload: string;
  status: string;
  purged_at: number | null;
}
const resetMails = () =>
  t.app.sqlite
    .prepare(
      `SELECT id, payload, status, purged_at FROM outbox WHERE topic = 'email' AND idempotency_key LIKE 'email:password_reset:%' ORDER BY id`,
    )
    .all() as OutboxRow[];
/** The link in the latest reset mail still waiting in the outbox (no worker runs in these tests). */
const lastLink = () => {
  const rows = resetMails();
  const text = JSON.parse(rows[rows.length - 1]!.payload).text as string;
  return text.match(/http:\/\/localhost:\d+\/reset-password\?token=([\w%-]+)/)!;
};
const tokenOf = () => decodeURIComponent(lastLink()[1]!);
const NEW_PASSWORD = 'brand-new-secret-42';

describe('asking for a reset', () => {
  it('answers 202 with the same body for a registered, an unknown and a disabled address; mails only the first', async () => {
    const c = await consumer(t.app);
    const off = await consumer(t.app);
    t.app.sqlite.prepare('UPDATE users SET disabled_at = 1 WHERE id = ?').run(off.userId);
    const anon = new Client(t.app);
    const known = await anon.post('/api/v1/auth/password-reset', { email: c.email.toUpperCase() });
    const unknown = await anon.post('/api/v1/auth/password-reset', { email: 'nobody@example.com' });
    const disabled = await anon.post('/api/v1/auth/password-reset', { email: off.email });
    for (const r of [known, unknown, disabled]) expect(r.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(disabled.body).toBe(known.body);
    expect(known.json().message).toMatch(/如果该邮箱已注册/);
    const rows = resetMails();
    expect(rows).toHaveLength(1);
    const payload = JSON.parse(rows[0]!.payload);
    expect(payload).toMatchObject({ to: c.email, kind: 'password_reset', purgeOnDone: true });
    expect(lastLink()[0]).toMatch(new RegExp(`^${t.app.config.publicUrl}/reset-password\\?token=`));
  });

  it('stores only a hash of the token', async () => {
    const c = await consumer(t.app);
    await new Client(t.app).post('/api/v1/auth/password-reset', { email: c.email });
    const token = tokenOf();
    const stored = t.app.sqlite
      .prepare("SELECT token_hash FROM account_tokens WHERE purpose = 'password_reset'")
      .pluck()
      .all() as string[];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]).not.toContain(token);
  });

  it('sends at most three mails an hour to one account, and still answers 202', async () => {
    const c = await consumer(t.app);
    const anon = new Client(t.app);
    for (let i = 0; i < 5; i++)
      expect((await anon.post('/api/v1/auth/password-reset', { email: c.email })).statusCode).toBe(202);
    expect(resetMails()).toHaveLength(3);
    t.clock.advance(61 * 60_000);
    await anon.post('/api/v1/auth/password-reset', { email: c.email });
    expect(resetMails()).toHaveLength(4);
  });

  it('refuses a malformed address with 400 on the field', async () => {
    const res = await new Client(t.app).post('/api/v1/auth/password-reset', { email: 'not-an-address' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('email');
  });

  it('is limited per IP address', async () => {
    await t.close();
    t = await makeApp({ rateLimits: true });
    const anon = new Client(t.app);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await anon.post('/api/v1/auth/password-reset', { email: `x${i}@example.com` })).statusCode);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe('setting the new password', () => {
  it('sets it once, ends every session of the account, and the old password stops working', async () => {
    const c = await consumer(t.app);
    const otherDevice = new Client(t.app);
    expect(
      (await otherDevice.post('/api/v1/auth/login', { email: c.email, password: 'correct-horse-1' })).statusCode,
    ).toBe(200);
    await new Client(t.app).post('/api/v1/auth/password-reset', { email: c.email });
    const token = tokenOf();
    const anon = new Client(t.app);
    const ok = await anon.post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(ok.statusCode).toBe(204);
    expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();
    expect((await otherDevice.get('/api/v1/auth/me')).json().user).toBeNull();
    expect(t.app.sqlite.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(c.userId)).toBe(0);

    const again = await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'another-secret-43' });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 'TOKEN_INVALID', field: 'token' });

    const old = await new Client(t.app).post('/api/v1/auth/login', { email: c.email, password: 'correct-horse-1' });
    expect(old.statusCode).toBe(401);
    const fresh = await new Client(t.app).post('/api/v1/auth/login', { email: c.email, password: NEW_PASSWORD });
    expect(fresh.statusCode).toBe(200);
    // The link came by mail: the address is verified too.
    expect(t.app.sqlite.prepare('SELECT email_verified_at FROM users WHERE id = ?').pluck().get(c.userId)).toBe(
      t.clock.now(),
    );
  });

  it('refuses an expired link (30 minutes) and an unknown one with TOKEN_INVALID', async () => {
    const c = await consumer(t.app);
    await new Client(t.app).post('/api/v1/auth/password-reset', { email: c.email });
    const token = tokenOf();
    t.clock.advance(30 * 60_000 + 1);
    const late = await new Client(t.app).post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(late.statusCode).toBe(400);
    expect(late.json().error).toMatchObject({ code: 'TOKEN_INVALID', field: 'token' });
    const made = await new Client(t.app).post('/api/v1/auth/password-reset/confirm', {
      token: 'x'.repeat(43),
      password: NEW_PASSWORD,
    });
    expect(made.json().error.code).toBe('TOKEN_INVALID');
  });

  it('works just before it expires; only the newest link works', async () => {
    const c = await consumer(t.app);
    const anon = new Client(t.app);
    await anon.post('/api/v1/auth/password-reset', { email: c.email });
    const first = tokenOf();
    await anon.post('/api/v1/auth/password-reset', { email: c.email });
    const second = tokenOf();
    expect(second).not.toBe(first);
    t.clock.advance(29 * 60_000);
    expect(
      (await anon.post('/api/v1/auth/password-reset/confirm', { token: first, password: NEW_PASSWORD })).statusCode,
    ).toBe(400);
    expect(
      (await anon.post('/api/v1/auth/password-reset/confirm', { token: second, password: NEW_PASSWORD })).statusCode,
    ).toBe(204);
  });

  it('checks the password rules before using the link up', async () => {
    const c = await consumer(t.app);
    await new Client(t.app).post('/api/v1/auth/password-reset', { email: c.email });
    const token = tokenOf();
    const anon = new Client(t.app);
    for (const password of ['short', 'password123', c.email]) {
      const res = await anon.post('/api/v1/auth/password-reset/confirm', { token, password });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('password');
    }
    expect((await anon.post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).statusCode).toBe(
      204,
    );
  });

  it('clears the failed-login backoff', async () => {
    const c = await consumer(t.app);
    const guesser = new Client(t.app);
    for (let i = 0; i < 6; i++)
      await guesser.post('/api/v1/auth/login', { email: c.email, password: `guess-number-${i}` });
    const blocked = await guesser.post('/api/v1/auth/login', { email: c.email, password: 'correct-horse-1' });
    expect(blocked.json().error.code).toBe('LOGIN_BACKOFF');
    await new Client(t.app).post('/api/v1/auth/password-reset', { email: c.email });
    await new Client(t.app).post('/api/v1/auth/password-reset/confirm', { token: tokenOf(), password: NEW_PASSWORD });
    const row = t.app.sqlite.prepare('SELECT failed_logins, login_blocked_until FROM users WHERE id = ?').get(c.userId);
    expect(row).toEqual({ failed_logins: 0, login_blocked_until: null });
    expect(
      (await new Client(t.app).post('/api/v1/auth/login', { email: c.email, password: NEW_PASSWORD })).statusCode,
    ).toBe(200);
  });
});

describe('the pages', () => {
  it('links 忘记密码？ from both login pages', async () => {
    for (const url of ['/login', '/merchant/login']) {
      const page = await new Client(t.app).get(url);
      expect(page.body).toContain('<a href="/forgot-password">忘记密码？</a>');
    }
  });

  it('asks for the address and answers the same page whether or not it is registered', async () => {
    const c = await consumer(t.app);
    const anon = new Client(t.app);
    const form = await anon.get('/forgot-password');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="email"');
    const known = await anon.form('/forgot-password', { email: c.email });
    const unknown = await anon.form('/forgot-password', { email: 'nobody@example.com' });
    expect(known.statusCode).toBe(200);
    expect(known.body).toContain('如果该邮箱已注册，我们已发送');
    expect(unknown.body.replace(/name="_csrf" value="[^"]*"/g, '')).toBe(
      known.body.replace(/name="_csrf" value="[^"]*"/g, ''),
    );
    expect(resetMails()).toHaveLength(1);
    const bad = await anon.form('/forgot-password', { email: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="email-error"');
  });

  it('shows the form for a live link without using it up, and a way to ask again for a dead one', async () => {
    const c = await consumer(t.app);
    await new Client(t.app).post('/api/v1/auth/password-reset', { email: c.email });
    const token = tokenOf();
    const anon = new Client(t.app);
    // Twice, as a mail scanner and then the person would.
    for (let i = 0; i < 2; i++) {
      const page = await anon.get(`/reset-password?token=${encodeURIComponent(token)}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('name="password2"');
      expect(page.body).toContain(`name="token" value="${token}"`);
    }
    const dead = await anon.get('/reset-password?token=not-a-live-token-at-all-xyz');
    expect(dead.statusCode).toBe(400);
    expect(dead.body).toContain('链接无效或已过期');
    expect(dead.body).toContain('href="/forgot-password"');
    expect(dead.body).not.toContain('name="password"');
    expect((await anon.get('/reset-password')).statusCode).toBe(400);
  });

  it('shows problems beside the fields, then logs the person out everywhere and sends them to log in', async () => {
    const c = await consumer(t.app);
    await new Client(t.app).post('/api/v1/auth/password-reset', { email: c.email });
    const token = tokenOf();
    const anon = new Client(t.app);
    const mismatch = await anon.form('/reset-password', {
      token,
      password: NEW_PASSWORD,
      password2: 'something-else-99',
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('id="password2-error"');
    expect(mismatch.body).toContain('两次输入的密码不一致');
    const weak = await anon.form('/reset-password', { token, password: '12345678', password2: '12345678' });
    expect(weak.body).toContain('id="password-error"');
    const ok = await anon.form('/reset-password', { token, password: NEW_PASSWORD, password2: NEW_PASSWORD });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/login?reset=1');
    expect((await anon.get('/login?reset=1')).body).toContain('密码已重设');
    expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();
    const used = await anon.form('/reset-password', { token, password: NEW_PASSWORD, password2: NEW_PASSWORD });
    expect(used.statusCode).toBe(400);
    expect(used.body).toContain('链接无效或已过期');
    expect(used.body).toContain('href="/forgot-password"');
  });
});

describe('the mail in the outbox', () => {
  let smtp: SmtpReceiver;
  afterEach(async () => {
    await smtp?.close();
  });

  it('is emptied once sent (purgeOnDone); other mail keeps its text until the retention purge', async () => {
    await t.close();
    smtp = await smtpReceiver();
    t = await makeApp({ smtpUrl: smtp.url });
    const c = await consumer(t.app);
    await new Client(t.app).post('/api/v1/auth/password-reset', { email: c.email });
    const token = tokenOf();
    // A mail without a secret, through the same path.
    t.app.db.transaction((tx) =>
      t.app.accountMail.send(
        tx,
        { actor: null, clock: t.clock },
        {
          userId: c.userId,
          to: c.email,
          kind: 'plain_note',
          subject: '普通通知',
          text: '没有秘密的邮件',
          key: 'n1',
        },
      ),
    );
    await t.app.outbox.drain();
    // The reset, the plain note and the verification mail sent at registration.
    expect(smtp.messages).toHaveLength(3);
    const received = smtp.messages.map((m) => mailText(m.raw)).find((x) => x.includes('reset-password'))!;
    expect(received).toContain(`/reset-password?token=${token}`);

    const rows = t.app.sqlite
      .prepare(
        `SELECT id, idempotency_key AS k, payload, status, purged_at FROM outbox WHERE topic = 'email' ORDER BY id`,
      )
      .all() as (OutboxRow & { k: string })[];
    const secret = rows.find((r) => r.k.startsWith('email:password_reset:'))!;
    const plain = rows.find((r) => r.k.startsWith('email:plain_note:'))!;
    expect(secret).toMatchObject({ status: 'done', payload: '{}', purged_at: t.clock.now() });
    expect(plain.status).toBe('done');
    expect(plain.purged_at).toBeNull();
    expect(JSON.parse(plain.payload).text).toContain('没有秘密的邮件');
    const details = t.app.sqlite
      .prepare('SELECT detail FROM outbox_attempts WHERE outbox_id = ?')
      .pluck()
      .all(secret.id);
    expect(details).toEqual([null]);
    const everything = JSON.stringify(t.app.sqlite.prepare('SELECT * FROM outbox').all());
    expect(everything).not.toContain(token);
    // The link received still works: only the outbox forgot it.
    const res = await new Client(t.app).post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(res.statusCode).toBe(204);
  });
});
