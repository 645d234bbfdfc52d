// Each provider's team from the admin's side: invite by e-mail (the link read from a real SMTP receiver), accept with
// a new password and land in the merchant portal as that provider's staff; a taken e-mail is a field error; disable,
// enable, make manager; the older create-with-password API still works; and every change is audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, consumer, staff } from '../helpers/factories.ts';
import { mailText, smtpReceiver, type SmtpReceiver } from '../forwarding/receivers.ts';

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

const inviteLink = async (to: string) => {
  await t.app.outbox.drain();
  const m = smtp.messages.find((x) => x.to.includes(to));
  if (!m) throw new Error(`no mail to ${to}`);
  const text = mailText(m.raw);
  const match = /(http:\/\/[^\s]+\/accept-invite\?token=([\w-]+))/.exec(text);
  if (!match) throw new Error(`no link in ${text}`);
  return { url: match[1]!, token: match[2]! };
};

describe('provider teams (admin)', () => {
  it('invites by e-mail; the link sets a password once and signs the person in as that provider’s staff', async () => {
    const a = await admin(t.app);
    const res = await a.post('/api/v1/admin/providers/alipay/staff/invite', {
      email: 'New.Agent@Alipay.example',
      displayName: '新客服',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ email: 'new.agent@alipay.example', invitePending: true, isManager: false });
    const { url, token } = await inviteLink('new.agent@alipay.example');
    expect(url.startsWith(`${t.app.config.publicUrl}/accept-invite?token=`)).toBe(true);
    // The mail holds a live link (purgeOnDone): once sent, the outbox no longer keeps its text.
    const row = t.app.sqlite.prepare("SELECT payload, purged_at FROM outbox WHERE topic = 'email'").get() as {
      payload: string;
      purged_at: number | null;
    };
    expect(row).toEqual({ payload: '{}', purged_at: t.clock.now() });

    // Nobody can log in before accepting: the placeholder password is unknown to everyone.
    const early = await new Client(t.app).post('/api/v1/auth/login', {
      email: 'new.agent@alipay.example',
      password: '',
    });
    expect(early.statusCode).toBe(400);

    const person = new Client(t.app);
    const page = await person.get(`/accept-invite?token=${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('新客服');
    expect(page.body).toContain('设置密码并登录');
    // Opening the page twice (a mail scanner, a reload) does not use the link up.
    expect((await person.get(`/accept-invite?token=${token}`)).statusCode).toBe(200);

    const weak = await person.form('/accept-invite', { token, password: 'password123', confirm: 'password123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('太常见');
    const mismatch = await person.form('/accept-invite', {
      token,
      password: 'blue-kettle-42',
      confirm: 'blue-kettle-43',
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('两次输入的密码不一致');

    const ok = await person.form('/accept-invite', { token, password: 'blue-kettle-42', confirm: 'blue-kettle-42' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/merchant');
    const me = (await person.get('/api/v1/auth/me')).json().user;
    expect(me).toMatchObject({ email: 'new.agent@alipay.example', role: 'provider_staff' });
    expect((await person.get('/merchant', { accept: 'text/html' })).statusCode).toBe(200);
    expect((await person.get('/api/v1/merchant/team')).json().provider.slug).toBe('alipay');

    // Used once: the link is dead, the page says so, and the password works for a normal login.
    const reuse = await new Client(t.app).get(`/accept-invite?token=${token}`);
    expect(reuse.statusCode).toBe(400);
    expect(reuse.body).toContain('邀请链接无效或已过期');
    const again = await new Client(t.app).post('/api/v1/auth/accept-invite', { token, password: 'other-kettle-42' });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('TOKEN_INVALID');
    const login = await new Client(t.app).post('/api/v1/auth/login', {
      email: 'new.agent@alipay.example',
      password: 'blue-kettle-42',
    });
    expect(login.statusCode).toBe(200);
    const member = (await a.get('/api/v1/admin/providers/alipay/staff')).json().items[0];
    expect(member).toMatchObject({ email: 'new.agent@alipay.example', invitePending: false, emailVerified: true });
  });

  it('invitations expire after 7 days', async () => {
    const a = await admin(t.app);
    await a.post('/api/v1/admin/providers/alipay/staff/invite', {
      email: 'late@alipay.example',
      displayName: '迟到的人',
    });
    const { token } = await inviteLink('late@alipay.example');
    t.clock.advance(7 * 24 * 3600_000 + 1);
    expect((await new Client(t.app).get(`/accept-invite?token=${token}`)).statusCode).toBe(400);
    const res = await new Client(t.app).post('/api/v1/auth/accept-invite', { token, password: 'blue-kettle-42' });
    expect(res.json().error.code).toBe('TOKEN_INVALID');
  });

  it('sends a new invitation link on request; the old one stops working; not once a password is set', async () => {
    const a = await admin(t.app);
    const id = (
      await a.post('/api/v1/admin/providers/alipay/staff/invite', {
        email: 'slow@alipay.example',
        displayName: '慢一点',
      })
    ).json().user.id;
    const first = (await inviteLink('slow@alipay.example')).token;
    // Not a verification link: it would prove the address without giving a password.
    const verify = await a.post(`/api/v1/admin/users/${id}/resend-verification`);
    expect(verify.statusCode).toBe(409);
    expect(verify.json().error.code).toBe('INVITE_PENDING');
    const page = await a.get('/admin/providers/alipay/staff');
    expect(page.body).toContain(`action="/admin/providers/alipay/staff/${id}/resend-invite"`);
    const again = await a.form(`/admin/providers/alipay/staff/${id}/resend-invite`, {});
    expect(again.headers.location).toBe('/admin/providers/alipay/staff?done=reinvited');
    await t.app.outbox.drain();
    const texts = smtp.messages.filter((m) => m.to.includes('slow@alipay.example')).map((m) => mailText(m.raw));
    expect(texts).toHaveLength(2);
    const second = /accept-invite\?token=([\w-]+)/.exec(texts[1]!)![1]!;
    expect(second).not.toBe(first);
    expect((await new Client(t.app).get(`/accept-invite?token=${first}`)).statusCode).toBe(400);
    const ok = await new Client(t.app).post('/api/v1/auth/accept-invite', {
      token: second,
      password: 'blue-kettle-42',
    });
    expect(ok.statusCode).toBe(200);
    const late = await a.post(`/api/v1/admin/staff/${id}/resend-invite`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('INVITE_ACCEPTED');
  });

  it('refuses an e-mail that already has an account, beside the field, on the page and in JSON', async () => {
    const a = await admin(t.app);
    const c = await consumer(t.app);
    const res = await a.post('/api/v1/admin/providers/alipay/staff/invite', { email: c.email, displayName: '客服' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' });
    const page = await a.form('/admin/providers/alipay/staff/invite', {
      email: c.email.toUpperCase(),
      displayName: '客服',
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('<p class="field-error" id="email-error" role="alert">该邮箱已被其他账户使用</p>');
    expect(page.body).toContain(`value="${c.email.toUpperCase()}"`);
    const bad = await a.form('/admin/providers/alipay/staff/invite', { email: 'not-an-email', displayName: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('邮箱格式不正确');
    expect(bad.body).toContain('请填写姓名或称呼');
    expect(
      (await a.post('/api/v1/admin/providers/no-such/staff/invite', { email: 'x@y.example', displayName: '某人' }))
        .statusCode,
    ).toBe(404);
  });

  it('disables, enables and makes managers from the page; disabling ends the member’s sessions', async () => {
    const a = await admin(t.app);
    const s = await staff(t.app, 'alipay', a);
    const list = await a.get('/admin/providers/alipay/staff');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(s.email);
    expect(list.body).toContain(`action="/admin/providers/alipay/staff/${s.userId}/disable"`);

    expect((await a.form(`/admin/providers/alipay/staff/${s.userId}/disable`, {})).headers.location).toBe(
      '/admin/providers/alipay/staff?done=disabled',
    );
    expect((await s.get('/api/v1/auth/me')).json().user).toBeNull();
    expect((await a.form(`/admin/providers/alipay/staff/${s.userId}/enable`, {})).statusCode).toBe(303);
    expect((await a.form(`/admin/providers/alipay/staff/${s.userId}/manager`, { manager: '1' })).statusCode).toBe(303);
    const m = (await a.get(`/api/v1/admin/users/${s.userId}`)).json();
    expect(m).toMatchObject({ disabled: false, isManager: true });
    // The same staff id under another provider's page is not found.
    expect((await a.form(`/admin/providers/wechat-pay/staff/${s.userId}/disable`, {})).statusCode).toBe(404);

    const off = await a.post(`/api/v1/admin/staff/${s.userId}/manager`, { manager: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().user.isManager).toBe(false);
    expect((await a.post(`/api/v1/admin/staff/${s.userId}/disable`)).json().user.disabled).toBe(true);
    expect((await a.post(`/api/v1/admin/staff/${s.userId}/enable`)).json().user.disabled).toBe(false);
    // A consumer's id is not staff.
    const c = await consumer(t.app);
    expect((await a.post(`/api/v1/admin/staff/${c.userId}/disable`)).statusCode).toBe(404);
    expect((await a.post(`/api/v1/admin/staff/${s.userId}/manager`, { manager: 'yes' })).statusCode).toBe(400);
  });

  it('audits invitations, disabling, manager changes and provider edits with before and after, without secrets', async () => {
    const a = await admin(t.app);
    const adminId = (await a.get('/api/v1/auth/me')).json().user.id;
    const inv = await a.post('/api/v1/admin/providers/alipay/staff/invite', {
      email: 'x@alipay.example',
      displayName: '小李',
    });
    const id = inv.json().user.id;
    await a.post(`/api/v1/admin/staff/${id}/manager`, { manager: true });
    await a.post(`/api/v1/admin/staff/${id}/disable`);
    await a.send('PATCH', '/api/v1/admin/providers/alipay', {
      hotline: '95188',
      channels: { webhook: { url: 'https://hooks.example/alipay', secret: 'whsec_0123456789abcdef' } },
    });
    const legacy = await a.post('/api/v1/admin/providers/alipay/staff', {
      email: 'old-style@alipay.example',
      password: 'staff-password-1',
      displayName: '老方式',
    });
    expect(legacy.statusCode).toBe(201);

    const log = (await a.get('/api/v1/admin/audit')).json();
    expect(log.items.map((i: { action: string }) => i.action)).toEqual([
      'staff.create',
      'provider.update',
      'staff.disable',
      'staff.make_manager',
      'staff.invite',
    ]);
    const [created, edit, disable, manager, invite] = log.items;
    expect(invite).toMatchObject({ actor: { id: adminId }, targetType: 'user', targetId: String(id), before: null });
    expect(invite.after).toMatchObject({ email: 'x@alipay.example', role: 'provider_staff', isManager: false });
    expect(manager.before.isManager).toBe(false);
    expect(manager.after.isManager).toBe(true);
    expect(disable.before.disabled).toBe(false);
    expect(disable.after.disabled).toBe(true);
    expect(edit).toMatchObject({ targetType: 'provider', targetId: 'alipay' });
    expect(edit.before.channels.webhook).toBeNull();
    expect(edit.after.channels.webhook).toEqual({ url: 'https://hooks.example/alipay', secretSet: true });
    expect(edit.after.hotline).toBe('95188');
    expect(created.after.email).toBe('old-style@alipay.example');
    const all = t.app.sqlite.prepare('SELECT before, after FROM audit_log').all();
    expect(JSON.stringify(all)).not.toMatch(/whsec_|scrypt|password/i);

    const forOne = (await a.get(`/api/v1/admin/audit?targetType=user&targetId=${id}`)).json();
    expect(forOne.items).toHaveLength(3);
    const page = await a.get(`/admin/audit?targetType=user&targetId=${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('设为团队管理员');
    expect(page.body).toContain(`href="/admin/users/${id}"`);
  });

  it('lists providers with their staff counts, finds them by name or slug, and adds one from the form', async () => {
    const a = await admin(t.app);
    await staff(t.app, 'alipay', a);
    const list = (await a.get('/api/v1/admin/providers?q=alipay')).json();
    expect(list.items[0]).toMatchObject({ slug: 'alipay', staff: 1 });
    const page = await a.get('/admin/providers');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/admin/providers/alipay/edit"');
    expect(page.body).toContain('href="/admin/providers/alipay/staff"');
    const bad = await a.form('/admin/providers', { slug: 'Bad Slug', name: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('机构标识只能包含小写字母');
    expect(bad.body).toContain('请填写机构名称');
    const ok = await a.form('/admin/providers', { slug: 'kettle-pay', name: '水壶支付', hotline: '95000' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/admin/providers/kettle-pay/edit?saved=1');
    const found = (await a.get(`/api/v1/admin/providers?q=${encodeURIComponent('水壶')}`)).json().items;
    expect(found).toEqual([expect.objectContaining({ slug: 'kettle-pay', verified: false, staff: 0 })]);
    const audit = (await a.get('/api/v1/admin/audit?targetType=provider&targetId=kettle-pay')).json().items;
    expect(audit[0]).toMatchObject({ action: 'provider.create', before: null });
  });
});
