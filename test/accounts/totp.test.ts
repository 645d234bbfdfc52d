// Two-factor through the API and the pages: enrolment, the second login step with a code or a recovery code, replay
// and wrong codes refused, disabling, and the admin setting that makes enrolment required for admins or staff.
import { createHash } from 'node:crypto';
import { generateSync } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, consumer, staff } from '../helpers/factories.ts';
import { mailText, smtpReceiver } from '../forwarding/receivers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const STEP = 30_000;
/** The code an authenticator app shows at the server's (test) clock, optionally a number of steps away. */
const codeAt = (secret: string, steps = 0) =>
  generateSync({ secret, epoch: Math.floor((t.clock.now() + steps * STEP) / 1000) });
const nextStep = () => t.clock.advance(STEP);
const sidOf = (res: { cookies: { name: string; value: string }[] }) =>
  res.cookies.find((c) => c.name === 'sid' && c.value !== '');

/** A consumer with two-factor on, through the API; the clock is moved past the step the confirming code used. */
async function enrolled() {
  const c = await consumer(t.app);
  const setup = (await c.post('/api/v1/me/totp/setup')).json() as { secret: string };
  const confirm = await c.post('/api/v1/me/totp/confirm', { code: codeAt(setup.secret) });
  expect(confirm.statusCode).toBe(200);
  nextStep();
  return Object.assign(c, { secret: setup.secret, recoveryCodes: confirm.json().recoveryCodes as string[] });
}

async function passwordStep(email: string, password = 'correct-horse-1') {
  const c = new Client(t.app);
  const res = await c.post('/api/v1/auth/login', { email, password });
  expect(res.statusCode).toBe(200);
  return { c, res, token: res.json().mfaToken as string };
}

describe('enrolment (API)', () => {
  it('sets up with a QR code and the secret, confirms with a code, and answers ten recovery codes once', async () => {
    const c = await consumer(t.app);
    expect((await c.get('/api/v1/me/totp')).json()).toEqual({
      enabled: false,
      pending: false,
      required: false,
      recoveryCodesLeft: 0,
    });
    const setup = await c.post('/api/v1/me/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrSvg } = setup.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(decodeURIComponent(otpauthUrl)).toContain(`钱包投诉台:${c.email}`);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrSvg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*><path /);
    expect(qrSvg).not.toContain(c.email);
    expect((await c.get('/api/v1/me/totp')).json()).toMatchObject({ enabled: false, pending: true });

    const wrong = await c.post('/api/v1/me/totp/confirm', { code: codeAt(secret, 3) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'BAD_CODE', field: 'code' });
    const garbage = await c.post('/api/v1/me/totp/confirm', { code: 'abcdef' });
    expect(garbage.json().error).toMatchObject({ field: 'code' });

    const ok = await c.post('/api/v1/me/totp/confirm', { code: codeAt(secret) });
    expect(ok.statusCode).toBe(200);
    const codes = ok.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);

    const row = t.app.sqlite
      .prepare('SELECT totp_secret, totp_pending_secret FROM users WHERE id = ?')
      .get(c.userId) as Record<string, string | null>;
    expect(row).toEqual({ totp_secret: secret, totp_pending_secret: null });
    const stored = t.app.sqlite.prepare('SELECT code_hash FROM recovery_codes WHERE user_id = ?').all(c.userId) as {
      code_hash: string;
    }[];
    expect(stored).toHaveLength(10);
    const dump = JSON.stringify(stored);
    for (const code of codes) expect(dump).not.toContain(code.replace('-', ''));
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash))).toBe(true);

    expect((await c.get('/api/v1/me/totp')).json()).toEqual({
      enabled: true,
      pending: false,
      required: false,
      recoveryCodesLeft: 10,
    });
    // Enabled: a second setup would replace the secret in use, so it is refused; so is confirming again.
    expect((await c.post('/api/v1/me/totp/setup')).json().error.code).toBe('TOTP_ENABLED');
    expect((await c.post('/api/v1/me/totp/confirm', { code: codeAt(secret) })).statusCode).toBe(409);
  });

  it('refuses confirming before setting up, and needs a session', async () => {
    const c = await consumer(t.app);
    expect((await c.post('/api/v1/me/totp/confirm', { code: '123456' })).json().error.code).toBe('TOTP_NOT_STARTED');
    const anon = new Client(t.app);
    expect((await anon.post('/api/v1/me/totp/setup')).statusCode).toBe(401);
    expect((await anon.get('/api/v1/me/totp')).statusCode).toBe(401);
  });
});

describe('login with two-factor (API)', () => {
  it('keeps the plain answer for accounts without two-factor', async () => {
    const c = await consumer(t.app);
    const res = await new Client(t.app).post('/api/v1/auth/login', { email: c.email, password: 'correct-horse-1' });
    expect(Object.keys(res.json())).toEqual(['user']);
    expect(sidOf(res)).toBeDefined();
  });

  it('asks for the code after the password, starts no session until it is right, and refuses its replay', async () => {
    const u = await enrolled();
    const { c, res, token } = await passwordStep(u.email);
    expect(res.json()).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    expect(sidOf(res)).toBeUndefined();
    expect((await c.get('/api/v1/auth/me')).json().user).toBeNull();

    const wrongPassword = await new Client(t.app).post('/api/v1/auth/login', {
      email: u.email,
      password: 'nope-nope-1',
    });
    expect(wrongPassword.statusCode).toBe(401);
    expect(wrongPassword.json().mfaToken).toBeUndefined();

    const code = codeAt(u.secret);
    const ok = await c.post('/api/v1/auth/login/totp', { mfaToken: token, code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ user: { id: u.userId, email: u.email, role: 'consumer', displayName: '小王同学' } });
    expect(sidOf(ok)).toBeDefined();
    expect((await c.get('/api/v1/auth/me')).json().user.email).toBe(u.email);
    // The token is spent.
    const again = await c.post('/api/v1/auth/login/totp', { mfaToken: token, code });
    expect(again.json().error).toMatchObject({ code: 'TOKEN_INVALID', field: 'mfaToken' });

    // The same code, seen over a shoulder, does not open a second login within its window.
    const thief = await passwordStep(u.email);
    const replay = await thief.c.post('/api/v1/auth/login/totp', { mfaToken: thief.token, code });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toMatchObject({ code: 'BAD_CODE', field: 'code' });
    expect(sidOf(replay)).toBeUndefined();
    // Nor does the code of the step before it (already past), while the next one is fine.
    expect(
      (await thief.c.post('/api/v1/auth/login/totp', { mfaToken: thief.token, code: codeAt(u.secret, -1) })).statusCode,
    ).toBe(400);
    nextStep();
    expect(
      (await thief.c.post('/api/v1/auth/login/totp', { mfaToken: thief.token, code: codeAt(u.secret) })).statusCode,
    ).toBe(200);
  });

  it('accepts one step of clock drift either way, not two', async () => {
    const u = await enrolled();
    nextStep(); // the step before this one is not the confirming code's
    const behind = await passwordStep(u.email);
    expect(
      (await behind.c.post('/api/v1/auth/login/totp', { mfaToken: behind.token, code: codeAt(u.secret, 2) }))
        .statusCode,
    ).toBe(400);
    expect(
      (await behind.c.post('/api/v1/auth/login/totp', { mfaToken: behind.token, code: codeAt(u.secret, -2) }))
        .statusCode,
    ).toBe(400);
    expect(
      (await behind.c.post('/api/v1/auth/login/totp', { mfaToken: behind.token, code: codeAt(u.secret, -1) }))
        .statusCode,
    ).toBe(200);
    const ahead = await passwordStep(u.email);
    expect(
      (await ahead.c.post('/api/v1/auth/login/totp', { mfaToken: ahead.token, code: codeAt(u.secret, 1) })).statusCode,
    ).toBe(200);
  });

  it('logs in with a recovery code once; a used one is refused', async () => {
    const u = await enrolled();
    const first = await passwordStep(u.email);
    const code = u.recoveryCodes[3]!;
    const ok = await first.c.post('/api/v1/auth/login/totp', {
      mfaToken: first.token,
      recoveryCode: ` ${code.toUpperCase()} `,
    });
    expect(ok.statusCode).toBe(200);
    expect(sidOf(ok)).toBeDefined();
    expect((await first.c.get('/api/v1/me/totp')).json().recoveryCodesLeft).toBe(9);
    const second = await passwordStep(u.email);
    const reused = await second.c.post('/api/v1/auth/login/totp', { mfaToken: second.token, recoveryCode: code });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error).toMatchObject({ code: 'BAD_CODE', field: 'recoveryCode' });
    const other = await second.c.post('/api/v1/auth/login/totp', {
      mfaToken: second.token,
      recoveryCode: u.recoveryCodes[4],
    });
    expect(other.statusCode).toBe(200);
  });

  it('kills the token after five wrong codes, and after five minutes', async () => {
    const u = await enrolled();
    const { c, token } = await passwordStep(u.email);
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push((await c.post('/api/v1/auth/login/totp', { mfaToken: token, code: '000000' })).json().error);
    expect(answers.slice(0, 4).every((e) => e.code === 'BAD_CODE' && e.field === 'code')).toBe(true);
    expect(answers[4]).toMatchObject({ code: 'TOKEN_INVALID', field: 'code' });
    const right = await c.post('/api/v1/auth/login/totp', { mfaToken: token, code: codeAt(u.secret) });
    expect(right.json().error).toMatchObject({ code: 'TOKEN_INVALID', field: 'mfaToken' });
    expect(sidOf(right)).toBeUndefined();

    const late = await passwordStep(u.email);
    t.clock.advance(5 * 60_000 + 1000);
    const expired = await late.c.post('/api/v1/auth/login/totp', { mfaToken: late.token, code: codeAt(u.secret) });
    expect(expired.json().error).toMatchObject({ code: 'TOKEN_INVALID', field: 'mfaToken' });
    const missing = await late.c.post('/api/v1/auth/login/totp', { mfaToken: 'x'.repeat(43) });
    expect(missing.statusCode).toBe(400);
  });

  it('regenerates recovery codes with a current code; the old ones stop working', async () => {
    const u = await enrolled();
    expect((await u.post('/api/v1/me/totp/recovery-codes', { code: '123456' })).statusCode).toBe(400);
    const res = await u.post('/api/v1/me/totp/recovery-codes', { code: codeAt(u.secret) });
    expect(res.statusCode).toBe(200);
    const fresh = res.json().recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    const s = await passwordStep(u.email);
    expect(
      (await s.c.post('/api/v1/auth/login/totp', { mfaToken: s.token, recoveryCode: u.recoveryCodes[0] })).statusCode,
    ).toBe(400);
    expect((await s.c.post('/api/v1/auth/login/totp', { mfaToken: s.token, recoveryCode: fresh[0] })).statusCode).toBe(
      200,
    );
  });

  it('disables with the password and a current code; login is one step again', async () => {
    const u = await enrolled();
    const badPassword = await u.post('/api/v1/me/totp/disable', { password: 'wrong-password', code: codeAt(u.secret) });
    expect(badPassword.json().error).toMatchObject({ field: 'password' });
    const badCode = await u.post('/api/v1/me/totp/disable', { password: 'correct-horse-1', code: '000000' });
    expect(badCode.json().error).toMatchObject({ field: 'code' });
    nextStep();
    const ok = await u.post('/api/v1/me/totp/disable', { password: 'correct-horse-1', code: codeAt(u.secret) });
    expect(ok.statusCode).toBe(204);
    const row = t.app.sqlite.prepare('SELECT totp_secret FROM users WHERE id = ?').get(u.userId) as {
      totp_secret: string | null;
    };
    expect(row.totp_secret).toBeNull();
    expect(t.app.sqlite.prepare('SELECT count(*) AS n FROM recovery_codes WHERE user_id = ?').get(u.userId)).toEqual({
      n: 0,
    });
    const login = await new Client(t.app).post('/api/v1/auth/login', { email: u.email, password: 'correct-horse-1' });
    expect(Object.keys(login.json())).toEqual(['user']);
  });
});

describe('mail to the owner', () => {
  it('tells the account by e-mail when two-factor is turned on and off', async () => {
    const smtp = await smtpReceiver();
    try {
      await t.close();
      t = await makeApp({ smtpUrl: smtp.url });
      const u = await enrolled();
      expect(
        (await u.post('/api/v1/me/totp/disable', { password: 'correct-horse-1', code: codeAt(u.secret) })).statusCode,
      ).toBe(204);
      await t.app.outbox.drain();
      const mine = smtp.messages.filter((m) => m.to.includes(u.email)).map((m) => mailText(m.raw));
      expect(mine.filter((text) => text.includes('已启用两步验证'))).toHaveLength(1);
      expect(mine.filter((text) => text.includes('已停用两步验证'))).toHaveLength(1);
      expect(mine.join('\n')).not.toContain(u.secret);
    } finally {
      await smtp.close();
    }
  });
});

describe('pages', () => {
  it('enrols at /me/security: QR code and secret, confirm, codes shown once', async () => {
    const c = await consumer(t.app);
    expect((await c.get('/me/complaints')).body).toContain('<a href="/me/security">账户安全</a>');
    const start = await c.get('/me/security');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('两步验证');
    expect(start.body).toContain('开始设置两步验证');
    const setup = await c.form('/me/security/setup', {});
    expect(setup.statusCode).toBe(303);
    expect(setup.headers.location).toBe('/me/security');
    const page = await c.get('/me/security');
    expect(page.body).toMatch(/<div class="qr"[^>]*><svg xmlns/);
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(page.body)![1]!;

    const wrong = await c.form('/me/security/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('id="code-error"');
    expect(wrong.body).toContain('验证码不正确');

    const ok = await c.form('/me/security/confirm', { code: codeAt(secret) });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('两步验证已启用');
    const shown = [...ok.body.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1]);
    expect(shown).toHaveLength(10);
    const hashes = (
      t.app.sqlite.prepare('SELECT code_hash FROM recovery_codes WHERE user_id = ?').all(c.userId) as {
        code_hash: string;
      }[]
    ).map((r) => r.code_hash);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(hashes).toContain(sha(`recovery:${shown[0]!.replace('-', '')}`));
    const later = await c.get('/me/security');
    expect(later.body).toContain('状态：已启用');
    expect(later.body).not.toContain(shown[0]!);
    expect(later.body).not.toContain(secret);
  });

  it('asks for the code on a second page after /login and /merchant/login, then goes on', async () => {
    const u = await enrolled();
    const c = new Client(t.app);
    const first = await c.form('/login', { email: u.email, password: 'correct-horse-1', next: '/me/complaints?x=1' });
    expect(first.statusCode).toBe(200);
    expect(sidOf(first)).toBeUndefined();
    expect(first.body).toContain('action="/login/totp"');
    const token = /name="token" value="([^"]+)"/.exec(first.body)![1]!;
    expect(first.body).toContain('name="next" value="/me/complaints?x&#x3D;1"');

    const wrong = await c.form('/login/totp', { token, code: '000000', next: '/me/complaints?x=1' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('id="code-error"');
    expect(sidOf(wrong)).toBeUndefined();
    const ok = await c.form('/login/totp', { token, code: codeAt(u.secret), next: '/me/complaints?x=1' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/me/complaints?x=1');
    expect((await c.get('/api/v1/auth/me')).json().user.email).toBe(u.email);

    // Staff through the merchant entrance, with a recovery code.
    const a = await admin(t.app);
    const s = await staff(t.app, 'alipay', a);
    const setup = (await s.post('/api/v1/me/totp/setup')).json();
    const codes = (await s.post('/api/v1/me/totp/confirm', { code: codeAt(setup.secret) })).json().recoveryCodes;
    const m = new Client(t.app);
    const step = await m.form('/merchant/login', { email: s.email, password: 'staff-password-1' });
    expect(step.statusCode).toBe(200);
    const mToken = /name="token" value="([^"]+)"/.exec(step.body)![1]!;
    const used = await m.form('/login/totp', { token: mToken, recoveryCode: codes[0] });
    expect(used.statusCode).toBe(303);
    expect(used.headers.location).toBe('/merchant');
    const reuse = await new Client(t.app).form('/merchant/login', { email: s.email, password: 'staff-password-1' });
    const again = await m.form('/login/totp', {
      token: /name="token" value="([^"]+)"/.exec(reuse.body)![1]!,
      recoveryCode: codes[0],
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('id="recoveryCode-error"');
  });

  it('disables from the page with password and code, and shows errors beside the fields', async () => {
    const u = await enrolled();
    const bad = await u.form('/me/security/disable', { password: 'wrong-password', code: codeAt(u.secret) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="password-error"');
    const ok = await u.form('/me/security/disable', { password: 'correct-horse-1', code: codeAt(u.secret) });
    expect(ok.statusCode).toBe(303);
    expect((await u.get(ok.headers.location as string)).body).toContain('两步验证已停用');
  });
});

describe('the admin setting that requires two-factor', () => {
  it('is admin-only, audited, and sends staff without two-factor to enrol before anything else', async () => {
    const a = await admin(t.app);
    const s = await staff(t.app, 'alipay', a);
    const c = await consumer(t.app);
    expect((await c.get('/api/v1/admin/settings')).statusCode).toBe(404);
    expect((await c.send('PATCH', '/api/v1/admin/settings', { requireTotpForStaff: true })).statusCode).toBe(404);
    expect((await s.get('/admin/settings')).statusCode).toBe(404);
    expect((await a.get('/api/v1/admin/settings')).json()).toEqual({
      requireTotpForAdmins: false,
      requireTotpForStaff: false,
    });
    expect((await a.send('PATCH', '/api/v1/admin/settings', {})).statusCode).toBe(400);
    const patched = await a.send('PATCH', '/api/v1/admin/settings', { requireTotpForStaff: true });
    expect(patched.json()).toEqual({ requireTotpForAdmins: false, requireTotpForStaff: true });
    const audit = t.app.audit.list({ targetType: 'setting' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'setting.update',
      targetId: 'requireTotpForStaff',
      before: { requireTotpForStaff: false },
      after: { requireTotpForStaff: true },
    });

    // The staff account (session from before the change, as after a fresh password login) is held at enrolment.
    const page = await s.get('/merchant');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/me/security?required=1');
    const api = await s.get('/api/v1/merchant/complaints');
    expect(api.statusCode).toBe(403);
    expect(api.json().error.code).toBe('TOTP_REQUIRED');
    expect((await s.get('/api/v1/auth/me')).json().user.email).toBe(s.email);
    const security = await s.get('/me/security?required=1');
    expect(security.statusCode).toBe(200);
    expect(security.body).toContain('平台要求机构工作人员启用两步验证');
    const fresh = new Client(t.app);
    const login = await fresh.post('/api/v1/auth/login', { email: s.email, password: 'staff-password-1' });
    expect(login.json().user).toBeDefined();
    expect((await fresh.get('/api/v1/merchant/complaints')).statusCode).toBe(403);
    // Consumers and admins are not held.
    expect((await c.get('/me/complaints')).statusCode).toBe(200);
    expect((await a.get('/admin')).statusCode).toBe(200);

    // Enrolling lets them through; disabling is then refused while the setting stands.
    const setup = (await s.post('/api/v1/me/totp/setup')).json();
    expect((await s.post('/api/v1/me/totp/confirm', { code: codeAt(setup.secret) })).statusCode).toBe(200);
    expect((await s.get('/merchant')).statusCode).toBe(200);
    expect((await s.get('/api/v1/merchant/complaints')).statusCode).toBe(200);
    nextStep();
    const disable = await s.post('/api/v1/me/totp/disable', {
      password: 'staff-password-1',
      code: codeAt(setup.secret),
    });
    expect(disable.statusCode).toBe(403);
    expect(disable.json().error.code).toBe('TOTP_REQUIRED');
    expect((await s.get('/me/security')).body).toContain('不能停用');
  });

  it('is changed from the /admin/settings page, and holds an admin without two-factor when required', async () => {
    const a = await admin(t.app);
    const page = await a.get('/admin/settings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('管理员必须启用两步验证');
    expect(page.body).toContain('机构工作人员必须启用两步验证');
    expect(page.body).not.toMatch(/name="requireTotpForAdmins" value="on" checked/);
    const saved = await a.form('/admin/settings', { requireTotpForAdmins: 'on' });
    expect(saved.statusCode).toBe(303);
    expect(t.app.siteSettings.get('requireTotpForAdmins')).toBe(true);
    expect(t.app.siteSettings.get('requireTotpForStaff')).toBe(false);
    expect(t.app.audit.list({ targetType: 'setting' })).toHaveLength(1);
    // This admin has no two-factor yet: the next page is enrolment, with the reason.
    const next = await a.get(saved.headers.location as string);
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toBe('/me/security?required=1');
    expect((await a.get('/me/security?required=1')).body).toContain('平台要求管理员启用两步验证');
    expect((await a.get('/api/v1/admin/settings')).json().error.code).toBe('TOTP_REQUIRED');
    // Logging out still works.
    expect((await a.post('/api/v1/auth/logout')).statusCode).toBe(204);
  });
});
