// E-mail verification through the API and the pages, with the link read from a real SMTP receiver on loopback: the
// mail sent at registration, the confirm page (a GET changes nothing), single use and expiry, the banner on the
// consumer's pages, the moderation queue's 未验证邮箱 badge, and the resend limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, consumer, fileComplaint, staff } from '../helpers/factories.ts';
import { mailText, smtpReceiver, type SmtpReceiver } from '../forwarding/receivers.ts';

const HOUR = 3600_000;
const BANNER = '重新发送验证邮件';

let t: TestApp;
let smtp: SmtpReceiver;
beforeEach(async () => {
  smtp = await smtpReceiver();
  t = await makeApp({ smtpUrl: smtp.url, publicUrl: 'https://ts.example' });
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

/** Sends what the outbox holds and answers the verification links mailed to `to`, oldest first. */
async function linksFor(to: string): Promise<string[]> {
  await t.app.outbox.drain();
  return smtp.messages
    .filter((m) => m.to.includes(to))
    .map((m) => mailText(m.raw).match(/https:\/\/ts\.example\/verify-email\?token=([A-Za-z0-9_-]+)/)?.[1])
    .filter((x): x is string => Boolean(x));
}

const verifiedAt = (email: string) =>
  (t.app.sqlite.prepare('SELECT email_verified_at AS v FROM users WHERE email = ?').get(email) as { v: number | null })
    .v;

describe('e-mail verification', () => {
  it('registration mails a link whose token verifies the address once; opening the page changes nothing', async () => {
    const c = await consumer(t.app);
    const [token, ...more] = await linksFor(c.email);
    expect(token).toBeTruthy();
    expect(more).toEqual([]);
    expect(verifiedAt(c.email)).toBeNull();

    // A mail scanner fetching the link: the page offers a button, the account stays unverified.
    const page = await new Client(t.app).get(`/verify-email?token=${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/verify-email"');
    expect(page.body).toContain(c.email);
    expect(verifiedAt(c.email)).toBeNull();

    const ok = await c.post('/api/v1/auth/verify-email', { token });
    expect(ok.statusCode).toBe(204);
    expect(verifiedAt(c.email)).toBe(t.clock.now());

    const again = await c.post('/api/v1/auth/verify-email', { token });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({ code: 'TOKEN_INVALID', field: 'token' });
    expect((await c.get(`/verify-email?token=${token}`)).body).toContain('你的邮箱已经验证过了');
  });

  it('the page form verifies while signed out, and refuses a post without the CSRF token', async () => {
    const c = new Client(t.app);
    const reg = await c.form('/register', {
      email: 'li@example.com',
      password: 'lantern-river-42',
      displayName: '小李',
    });
    expect(reg.statusCode).toBe(303);
    const [token] = await linksFor('li@example.com');
    expect(token).toBeTruthy();

    const visitor = new Client(t.app); // another browser, not signed in
    expect((await visitor.get(`/verify-email?token=${token}`)).statusCode).toBe(200);
    const forged = await visitor.form('/verify-email', { token: token! }, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect(verifiedAt('li@example.com')).toBeNull();

    const done = await visitor.form('/verify-email', { token: token! });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('你的邮箱已通过验证');
    expect(verifiedAt('li@example.com')).not.toBeNull();

    const used = await visitor.form('/verify-email', { token: token! });
    expect(used.statusCode).toBe(400);
    expect(used.body).toContain('链接无效或已过期');
  });

  it('an expired or unknown token is 400 TOKEN_INVALID and verifies nothing', async () => {
    const c = await consumer(t.app);
    const [token] = await linksFor(c.email);
    t.clock.advance(7 * 24 * HOUR + 1);
    const late = await c.post('/api/v1/auth/verify-email', { token });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.code).toBe('TOKEN_INVALID');
    const bogus = await c.post('/api/v1/auth/verify-email', { token: 'x'.repeat(43) });
    expect(bogus.json().error.code).toBe('TOKEN_INVALID');
    expect((await c.get(`/verify-email?token=${token}`)).body).toContain('链接无效或已过期');
    expect(verifiedAt(c.email)).toBeNull();
  });

  it('an unverified consumer sees the banner on their pages until they verify; staff and admins never do', async () => {
    const c = await consumer(t.app);
    const { id } = await fileComplaint(c);
    for (const path of ['/me/complaints', '/me/settings', `/complaints/${id}`]) {
      const res = await c.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body, path).toContain(BANNER);
      expect(res.body, path).toContain('action="/verify-email/resend"');
    }
    const [token] = await linksFor(c.email);
    expect((await c.post('/api/v1/auth/verify-email', { token })).statusCode).toBe(204);
    for (const path of ['/me/complaints', '/me/settings', `/complaints/${id}`])
      expect((await c.get(path)).body, path).not.toContain(BANNER);

    const a = await admin(t.app);
    const s = await staff(t.app, 'alipay', a);
    expect((await a.get('/api/v1/me/settings')).json().emailVerified).toBe(true); // the bootstrap admin
    expect((await s.get('/api/v1/me/settings')).json().emailVerified).toBe(false); // until they verify
    expect((await s.get('/merchant')).body).not.toContain(BANNER);
    expect((await a.get('/admin')).body).not.toContain(BANNER);
  });

  it('the moderation queue marks complaints whose consumer has not verified (未验证邮箱)', async () => {
    const unverified = await consumer(t.app);
    const verified = await consumer(t.app);
    const [token] = await linksFor(verified.email);
    expect((await verified.post('/api/v1/auth/verify-email', { token })).statusCode).toBe(204);
    const a = await fileComplaint(unverified, { title: '未验证用户的投诉' });
    const b = await fileComplaint(verified, { title: '已验证用户的投诉' });

    const boss = await admin(t.app);
    const items = (await boss.get('/api/v1/admin/queue')).json().items as { id: number }[];
    expect(items.find((i) => i.id === a.id)).toMatchObject({ consumerEmailVerified: false });
    expect(items.find((i) => i.id === b.id)).toMatchObject({ consumerEmailVerified: true });

    const html = (await boss.get('/admin/queue')).body;
    const card = (id: number) => html.slice(html.indexOf(`id="complaint-${id}"`)).split('</article>')[0]!;
    expect(card(a.id)).toContain('未验证邮箱');
    expect(card(b.id)).not.toContain('未验证邮箱');
  });

  it('resend mails a new link (the old one stops working), at most 3 an hour per account', async () => {
    const c = await consumer(t.app); // the registration's mail is the first of the hour
    const [first] = await linksFor(c.email);
    expect((await c.post('/api/v1/auth/verify-email/resend')).statusCode).toBe(204);
    expect((await c.post('/api/v1/auth/verify-email/resend')).statusCode).toBe(204);
    const limited = await c.post('/api/v1/auth/verify-email/resend');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    const links = await linksFor(c.email);
    expect(links).toHaveLength(3);

    // The page's button says the same, beside a way back.
    const page = await c.form('/verify-email/resend', { next: '/me/complaints' });
    expect(page.statusCode).toBe(429);
    expect(page.body).toContain('太频繁');

    t.clock.advance(HOUR + 1);
    const sent = await c.form('/verify-email/resend', { next: '/me/complaints' });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('验证邮件已发送');
    expect(sent.body).toContain('href="/me/complaints"');
    const all = await linksFor(c.email);
    expect(all).toHaveLength(4);

    expect((await c.post('/api/v1/auth/verify-email', { token: first })).json().error.code).toBe('TOKEN_INVALID');
    expect((await c.post('/api/v1/auth/verify-email', { token: all[3] })).statusCode).toBe(204);
    const done = await c.post('/api/v1/auth/verify-email/resend');
    expect(done.statusCode).toBe(409);
    expect(done.json().error.code).toBe('ALREADY_VERIFIED');
  });

  it('resend needs a signed-in account and the CSRF token', async () => {
    const anon = new Client(t.app);
    expect((await anon.post('/api/v1/auth/verify-email/resend')).statusCode).toBe(401);
    const page = await anon.form('/verify-email/resend', {});
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fme%2Fsettings');

    const c = await consumer(t.app);
    expect((await c.post('/api/v1/auth/verify-email/resend', undefined, { csrf: false })).statusCode).toBe(403);
    expect((await c.form('/verify-email/resend', {}, { csrf: false })).statusCode).toBe(403);
    expect(await linksFor(c.email)).toHaveLength(1);
  });

  it('resend is also limited per address, across accounts (10 an hour)', async () => {
    await t.close();
    t = await makeApp({ smtpUrl: smtp.url, publicUrl: 'https://ts.example', rateLimits: true });
    const people = [];
    for (let i = 0; i < 6; i++) people.push(await consumer(t.app));
    const codes: number[] = [];
    for (const c of people)
      for (let i = 0; i < 2; i++) codes.push((await c.post('/api/v1/auth/verify-email/resend')).statusCode);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(204));
    expect(codes.slice(10)).toEqual([429, 429]);
  });
});
