// Account settings through the API and the page: password change (other sessions end, this one stays), display name,
// which complaint e-mails a consumer gets (checked against a real SMTP receiver), and the list of sessions with
// ending one or all others. Signed out is 401 or the login page; a write without the CSRF token is 403.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, consumer, fileComplaint, staff } from '../helpers/factories.ts';
import { mailText, smtpReceiver, type SmtpReceiver } from '../forwarding/receivers.ts';

const PASSWORD = 'correct-horse-1'; // the factories' consumer password
const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let t: TestApp;
let smtp: SmtpReceiver;
beforeEach(async () => {
  smtp = await smtpReceiver();
  t = await makeApp({ smtpUrl: smtp.url });
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

/** The same account signed in from another browser. */
async function signIn(email: string, password = PASSWORD, ua = CHROME_WIN) {
  const c = new Client(t.app);
  const res = await c.post('/api/v1/auth/login', { email, password }, { headers: { 'user-agent': ua } });
  expect(res.statusCode).toBe(200);
  return c;
}
const me = async (c: Client) => (await c.get('/api/v1/auth/me')).json().user as { displayName: string } | null;

describe('signed out and CSRF', () => {
  it('the API answers 401, the page sends to the login page, and writes without the token are 403', async () => {
    const anon = new Client(t.app);
    expect((await anon.get('/api/v1/me/settings')).statusCode).toBe(401);
    expect((await anon.get('/api/v1/me/sessions')).statusCode).toBe(401);
    expect((await anon.send('PATCH', '/api/v1/me/settings', { displayName: '某人' })).statusCode).toBe(401);
    expect((await anon.post('/api/v1/me/password', { currentPassword: 'a', newPassword: 'b' })).statusCode).toBe(401);
    expect((await anon.post('/api/v1/me/sessions/revoke-others')).statusCode).toBe(401);
    const page = await anon.get('/me/settings');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fme%2Fsettings');

    const c = await consumer(t.app);
    const patch = await c.send('PATCH', '/api/v1/me/settings', { displayName: '改名了' }, { csrf: false });
    expect(patch.statusCode).toBe(403);
    expect(patch.json().error.code).toBe('CSRF');
    const pw = await c.post(
      '/api/v1/me/password',
      { currentPassword: PASSWORD, newPassword: 'lantern-river-42' },
      { csrf: false },
    );
    expect(pw.statusCode).toBe(403);
    expect((await c.form('/me/settings/profile', { displayName: '改名了' }, { csrf: false })).statusCode).toBe(403);
    expect((await c.form('/me/sessions/revoke-others', {}, { csrf: false })).statusCode).toBe(403);
    expect((await me(c))!.displayName).toBe('小王同学');
  });
});

describe('password', () => {
  it('a change ends every other session but keeps this one; the old password stops working', async () => {
    const c = await consumer(t.app);
    const phone = await signIn(c.email, PASSWORD, SAFARI_IPHONE);
    const res = await c.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'lantern-river-42' });
    expect(res.statusCode).toBe(204);
    expect(await me(c)).not.toBeNull();
    expect(await me(phone)).toBeNull();
    expect(
      (await new Client(t.app).post('/api/v1/auth/login', { email: c.email, password: PASSWORD })).statusCode,
    ).toBe(401);
    await signIn(c.email, 'lantern-river-42');

    await t.app.outbox.drain();
    const told = smtp.messages.find(
      (m) => m.to.includes(c.email) && mailText(m.raw).includes('密码刚刚在账户设置中修改'),
    );
    expect(told).toBeTruthy();
  });

  it('a wrong current password is 400 BAD_CURRENT_PASSWORD and changes nothing', async () => {
    const c = await consumer(t.app);
    const phone = await signIn(c.email);
    const res = await c.post('/api/v1/me/password', {
      currentPassword: 'not-my-password',
      newPassword: 'lantern-river-42',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BAD_CURRENT_PASSWORD', field: 'currentPassword' });
    expect(await me(phone)).not.toBeNull();
    await signIn(c.email, PASSWORD);
  });

  it.each([
    ['short', 'newPassword'],
    ['password123', 'newPassword'],
    ['xiaowangtongxue', 'newPassword'],
  ])('a weak new password %s is refused beside newPassword', async (newPassword, field) => {
    const c = await consumer(t.app, { displayName: 'xiaowangtongxue' });
    const res = await c.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID', field });
    await signIn(c.email, PASSWORD);
  });

  it('the page form shows the problem beside the field, and on success comes back with a notice', async () => {
    const c = await consumer(t.app);
    const phone = await signIn(c.email);
    const wrong = await c.form('/me/settings/password', {
      currentPassword: 'nope-nope-nope',
      newPassword: 'lantern-river-42',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('id="currentPassword-error"');
    expect(wrong.body).toContain('当前密码不正确');
    const weak = await c.form('/me/settings/password', { currentPassword: PASSWORD, newPassword: '12345678' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('id="newPassword-error"');

    const ok = await c.form('/me/settings/password', { currentPassword: PASSWORD, newPassword: 'lantern-river-42' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/me/settings?done=password#password');
    expect((await c.get('/me/settings?done=password')).body).toContain('密码已修改');
    expect(await me(phone)).toBeNull();
  });
});

describe('display name', () => {
  it('PATCH changes it with the registration rules; the page form too', async () => {
    const c = await consumer(t.app);
    const res = await c.send('PATCH', '/api/v1/me/settings', { displayName: '  新的名字 ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      email: c.email,
      displayName: '新的名字',
      role: 'consumer',
      emailVerified: false,
    });
    expect((await me(c))!.displayName).toBe('新的名字');

    const short = await c.send('PATCH', '/api/v1/me/settings', { displayName: '王' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('displayName');
    const long = await c.send('PATCH', '/api/v1/me/settings', { displayName: '王'.repeat(21) });
    expect(long.statusCode).toBe(400);

    const page = await c.form('/me/settings/profile', { displayName: '' });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('请填写昵称');
    const saved = await c.form('/me/settings/profile', { displayName: '页面改名' });
    expect(saved.statusCode).toBe(303);
    expect((await c.get('/me/settings')).body).toContain('退出（页面改名）');
  });
});

describe('notification preferences', () => {
  const approvedMailTo = (email: string) =>
    smtp.messages.filter((m) => m.to.includes(email) && mailText(m.raw).includes('已通过审核并转交'));

  it('by default a consumer is mailed; with 审核结果 turned off the approval mail is not sent (staff still are)', async () => {
    const boss = await admin(t.app);
    const agent = await staff(t.app, 'alipay', boss);
    const on = await consumer(t.app);
    const off = await consumer(t.app);
    expect((await off.get('/api/v1/me/settings')).json().notify).toEqual({
      replies: true,
      review: true,
      deadlines: true,
      closing: true,
    });
    const set = await off.send('PATCH', '/api/v1/me/settings', { notify: { review: false } });
    expect(set.statusCode).toBe(200);
    expect(set.json().notify).toEqual({ replies: true, review: false, deadlines: true, closing: true });

    const a = await fileComplaint(on);
    const b = await fileComplaint(off);
    for (const id of [a.id, b.id])
      expect((await boss.post(`/api/v1/complaints/${id}/events`, { type: 'approve' })).statusCode).toBe(200);
    await t.app.outbox.drain();
    expect(approvedMailTo(on.email)).toHaveLength(1);
    expect(approvedMailTo(off.email)).toHaveLength(0);
    expect(smtp.messages.filter((m) => m.to.includes(agent.email))).toHaveLength(2); // new complaints for staff

    // Other groups still reach them: a reply from the provider.
    const reply = await agent.post(`/api/v1/complaints/${b.id}/events`, { type: 'reply', body: '正在核实。' });
    expect(reply.statusCode).toBe(200);
    await t.app.outbox.drain();
    expect(smtp.messages.some((m) => m.to.includes(off.email) && mailText(m.raw).includes('正在核实。'))).toBe(true);
  });

  it('the page form saves the ticked boxes; unticked ones are off', async () => {
    const c = await consumer(t.app);
    const page = await c.get('/me/settings');
    expect(page.body).toContain('name="notify" value="replies" checked');
    const res = await c.form('/me/settings/notifications', { notify: 'replies' });
    expect(res.statusCode).toBe(303);
    expect((await c.get('/api/v1/me/settings')).json().notify).toEqual({
      replies: true,
      review: false,
      deadlines: false,
      closing: false,
    });
    expect((await c.form('/me/settings/notifications', { notify: ['review', 'closing'] })).statusCode).toBe(303);
    expect((await c.get('/api/v1/me/settings')).json().notify).toMatchObject({ replies: false, review: true });
  });

  it('only consumers have complaint mail preferences', async () => {
    const boss = await admin(t.app);
    const s = await staff(t.app, 'alipay', boss);
    expect((await s.get('/api/v1/me/settings')).json()).toMatchObject({ role: 'provider_staff', notify: null });
    const res = await s.send('PATCH', '/api/v1/me/settings', { notify: { replies: false } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('notify');
    expect((await s.get('/me/settings')).body).not.toContain('name="notify"');
  });
});

describe('sessions', () => {
  it('lists the live sessions with a readable browser and the current one marked, never the cookie', async () => {
    const c = await consumer(t.app);
    await signIn(c.email, PASSWORD, SAFARI_IPHONE);
    const res = await c.get('/api/v1/me/sessions');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; browser: string; current: boolean; createdAt: string }[];
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.find((s) => !s.current)!.browser).toBe('Safari · iPhone');
    const hashes = (t.app.sqlite.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[]).map(
      (r) => r.id_hash,
    );
    for (const s of items) {
      expect(s.id).toMatch(/^[0-9a-f]{16}$/);
      expect(c.cookieHeader).not.toContain(s.id);
      expect(hashes.some((h) => h.startsWith(s.id))).toBe(false);
    }
    const page = (await c.get('/me/settings')).body;
    expect(page).toContain('Safari · iPhone');
    expect(page).toContain('当前设备');
    expect(page).toContain('退出其他所有设备');
    expect(page).toContain('href="/me/security"');
    expect(page).toContain('href="/me/data"');
  });

  it('ends one other session by its id; another account’s session is 404; this one is refused', async () => {
    const c = await consumer(t.app);
    const phone = await signIn(c.email, PASSWORD, SAFARI_IPHONE);
    const laptop = await signIn(c.email);
    const stranger = await consumer(t.app);
    const items = (await c.get('/api/v1/me/sessions')).json().items as { id: string; current: boolean }[];
    const phoneId = ((await phone.get('/api/v1/me/sessions')).json().items as { id: string; current: boolean }[]).find(
      (s) => s.current,
    )!.id;
    const mine = items.find((s) => s.current)!.id;

    expect((await stranger.send('DELETE', `/api/v1/me/sessions/${phoneId}`)).statusCode).toBe(404);
    expect(await me(phone)).not.toBeNull();
    expect((await c.send('DELETE', '/api/v1/me/sessions/0123456789abcdef')).statusCode).toBe(404);
    const self = await c.send('DELETE', `/api/v1/me/sessions/${mine}`);
    expect(self.statusCode).toBe(400);
    expect(self.json().error.code).toBe('CURRENT_SESSION');

    expect((await c.send('DELETE', `/api/v1/me/sessions/${phoneId}`)).statusCode).toBe(204);
    expect(await me(phone)).toBeNull();
    expect(await me(laptop)).not.toBeNull();
    expect(await me(c)).not.toBeNull();
    expect((await c.send('DELETE', `/api/v1/me/sessions/${phoneId}`)).statusCode).toBe(404);

    // The page's button for one device.
    const laptopId = ((await c.get('/api/v1/me/sessions')).json().items as { id: string; current: boolean }[]).find(
      (s) => !s.current,
    )!.id;
    const ended = await c.form(`/me/sessions/${laptopId}/end`, {});
    expect(ended.statusCode).toBe(303);
    expect(await me(laptop)).toBeNull();
    expect((await c.get('/me/settings?done=session')).body).toContain('该设备已退出登录');
  });

  it('退出其他所有设备 ends every other session of the account and no one else’s', async () => {
    const c = await consumer(t.app);
    const phone = await signIn(c.email, PASSWORD, SAFARI_IPHONE);
    const laptop = await signIn(c.email);
    const stranger = await consumer(t.app);
    const res = await c.post('/api/v1/me/sessions/revoke-others');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ended: 2 });
    expect(await me(phone)).toBeNull();
    expect(await me(laptop)).toBeNull();
    expect(await me(c)).not.toBeNull();
    expect(await me(stranger)).not.toBeNull();
    expect((await c.get('/api/v1/me/sessions')).json().items).toHaveLength(1);

    const again = await signIn(c.email);
    const page = await c.form('/me/sessions/revoke-others', {});
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/me/settings?done=sessions#sessions');
    expect(await me(again)).toBeNull();
    expect((await c.get('/me/settings')).body).toContain('没有其他设备登录着你的账户');
  });
});
