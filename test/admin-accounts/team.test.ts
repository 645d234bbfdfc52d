// /merchant/team: a provider's manager invites and disables their own provider's staff (never themselves); other
// members read the list only; nobody reaches another provider's team, by id or otherwise.
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

async function teams() {
  const a = await admin(t.app);
  const manager = await staff(t.app, 'alipay', a);
  await a.post(`/api/v1/admin/staff/${manager.userId}/manager`, { manager: true });
  const member = await staff(t.app, 'alipay', a);
  const other = await staff(t.app, 'wechat-pay', a);
  const otherManager = await staff(t.app, 'wechat-pay', a);
  await a.post(`/api/v1/admin/staff/${otherManager.userId}/manager`, { manager: true });
  return { a, manager, member, other, otherManager };
}

const inviteToken = (to: string) => {
  const rows = t.app.sqlite.prepare("SELECT payload FROM outbox WHERE topic = 'email'").pluck().all() as string[];
  const mail = rows.map((r) => JSON.parse(r)).find((p) => p.to === to);
  return /accept-invite\?token=([\w-]+)/.exec(mail.text)![1]!;
};

describe('merchant team', () => {
  it('a manager invites into their own provider; the invitee joins that provider, never as a manager', async () => {
    const { manager } = await teams();
    const page = await manager.get('/merchant/team');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/merchant/team/invite"');
    const res = await manager.post('/api/v1/merchant/team/invite', {
      email: 'joiner@alipay.example',
      displayName: '新同事',
      manager: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ isManager: false, invitePending: true });
    const formRes = await manager.form('/merchant/team/invite', {
      email: 'second@alipay.example',
      displayName: '另一位',
    });
    expect(formRes.headers.location).toBe('/merchant/team?done=invited');

    const secondId = (await manager.get('/api/v1/merchant/team'))
      .json()
      .items.find((m: { email: string }) => m.email === 'second@alipay.example').id;
    const resent = await manager.form(`/merchant/team/${secondId}/resend-invite`, {});
    expect(resent.headers.location).toBe('/merchant/team?done=reinvited');
    expect((await manager.post(`/api/v1/merchant/team/${secondId}/resend-invite`)).statusCode).toBe(202);

    const joiner = new Client(t.app);
    const ok = await joiner.post('/api/v1/auth/accept-invite', {
      token: inviteToken('joiner@alipay.example'),
      password: 'teapot-garden-7',
    });
    expect(ok.statusCode).toBe(200);
    const team = (await joiner.get('/api/v1/merchant/team')).json();
    expect(team).toMatchObject({ provider: { slug: 'alipay' }, canManage: false });
    expect(team.items.map((m: { email: string }) => m.email)).toContain('joiner@alipay.example');

    const taken = await manager.form('/merchant/team/invite', { email: 'joiner@alipay.example', displayName: '重复' });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('该邮箱已被其他账户使用');
  });

  it('a manager disables and enables their own staff, not themselves; disabling ends the member’s sessions', async () => {
    const { manager, member } = await teams();
    const off = await manager.post(`/api/v1/merchant/team/${member.userId}/disable`);
    expect(off.statusCode).toBe(200);
    expect(off.json().user.disabled).toBe(true);
    expect((await member.get('/api/v1/auth/me')).json().user).toBeNull();
    const on = await manager.form(`/merchant/team/${member.userId}/enable`, {});
    expect(on.headers.location).toBe('/merchant/team?done=enabled');
    const self = await manager.post(`/api/v1/merchant/team/${manager.userId}/disable`);
    expect(self.statusCode).toBe(409);
    // Another manager of the same team answers to the platform, not to a peer.
    const a = await admin(t.app);
    const peer = await staff(t.app, 'alipay', a);
    await a.post(`/api/v1/admin/staff/${peer.userId}/manager`, { manager: true });
    const view = (await manager.get('/merchant/team')).body;
    expect(view).toContain(`action="/merchant/team/${member.userId}/disable"`);
    expect(view).not.toContain(`action="/merchant/team/${peer.userId}/disable"`);
    expect(view).not.toContain(`action="/merchant/team/${manager.userId}/disable"`);
    const onPeer = await manager.post(`/api/v1/merchant/team/${peer.userId}/disable`);
    expect(onPeer.statusCode).toBe(403);
    expect((await peer.get('/api/v1/auth/me')).json().user).not.toBeNull();
    const selfPage = await manager.form(`/merchant/team/${manager.userId}/disable`, {});
    expect(selfPage.statusCode).toBe(409);
    expect(selfPage.body).toContain('不能更改自己的账户状态');
  });

  it('a manager of one provider cannot see or touch another provider’s staff: 404', async () => {
    const { manager, other } = await teams();
    expect((await manager.post(`/api/v1/merchant/team/${other.userId}/disable`)).statusCode).toBe(404);
    expect((await manager.post(`/api/v1/merchant/team/${other.userId}/enable`)).statusCode).toBe(404);
    expect((await manager.post(`/api/v1/merchant/team/${other.userId}/resend-invite`)).statusCode).toBe(404);
    expect((await manager.form(`/merchant/team/${other.userId}/disable`, {})).statusCode).toBe(404);
    expect((await other.get('/api/v1/auth/me')).json().user).not.toBeNull();
    const list = (await manager.get('/api/v1/merchant/team')).json();
    expect(list.items.map((m: { id: number }) => m.id)).not.toContain(other.userId);
    // Nor the admin's routes, nor the admin's pages.
    expect((await manager.post(`/api/v1/admin/staff/${other.userId}/disable`)).statusCode).toBe(404);
    expect((await manager.get('/admin/providers/wechat-pay/staff', { accept: 'text/html' })).statusCode).toBe(404);
    expect(
      (await manager.post('/api/v1/admin/providers/alipay/staff/invite', { email: 'z@z.example', displayName: '某人' }))
        .statusCode,
    ).toBe(404);
  });

  it('a member who is not a manager reads the team but cannot invite or disable: 403', async () => {
    const { manager, member } = await teams();
    const page = await member.get('/merchant/team');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(manager.email);
    expect(page.body).not.toContain('action="/merchant/team/invite"');
    expect(page.body).toContain('只有本机构的团队管理员可以邀请或停用成员');
    const invite = await member.post('/api/v1/merchant/team/invite', {
      email: 'x@alipay.example',
      displayName: '某人',
    });
    expect(invite.statusCode).toBe(403);
    expect(invite.json().error.code).toBe('NOT_MANAGER');
    expect((await member.post(`/api/v1/merchant/team/${manager.userId}/disable`)).statusCode).toBe(403);
    const form = await member.form('/merchant/team/invite', { email: 'x@alipay.example', displayName: '某人' });
    expect(form.statusCode).toBe(403);
    expect(t.app.sqlite.prepare("SELECT count(*) FROM users WHERE email = 'x@alipay.example'").pluck().get()).toBe(0);
  });

  it('consumers and admins have no team page; anonymous visitors are sent to the merchant login', async () => {
    const { a } = await teams();
    const c = await consumer(t.app);
    for (const who of [c, a]) {
      expect((await who.get('/api/v1/merchant/team')).statusCode).toBe(404);
      expect((await who.get('/merchant/team', { accept: 'text/html' })).statusCode).toBe(404);
    }
    const anon = await new Client(t.app).get('/merchant/team');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/merchant/login?next=%2Fmerchant%2Fteam');
  });

  it('records a manager’s actions in the audit log with the manager as actor', async () => {
    const { a, manager, member } = await teams();
    await manager.post(`/api/v1/merchant/team/${member.userId}/disable`);
    const last = (await a.get('/api/v1/admin/audit')).json().items[0];
    expect(last).toMatchObject({
      action: 'staff.disable',
      actor: { id: manager.userId },
      targetId: String(member.userId),
      before: { disabled: false },
      after: { disabled: true },
    });
  });
});
