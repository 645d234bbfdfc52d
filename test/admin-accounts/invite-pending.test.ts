// The team screen's 已邀请 (invited, no password chosen yet) is read from the account: it outlives the invitation's
// token rows, which are swept a day after they expire, and ends when the person sets a password.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, staff } from '../helpers/factories.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const DAY_MS = 24 * 3600_000;

const inviteToken = (to: string) => {
  const rows = t.app.sqlite.prepare("SELECT payload FROM outbox WHERE topic = 'email'").pluck().all() as string[];
  const mail = rows.map((r) => JSON.parse(r)).find((p) => p.to === to);
  return /accept-invite\?token=([\w-]+)/.exec(mail.text)![1]!;
};

it('shows 已邀请 until a password is set, also after the invitation’s token rows were swept', async () => {
  const a = await admin(t.app);
  const invite = async (email: string) =>
    (await a.post('/api/v1/admin/providers/alipay/staff/invite', { email, displayName: '新客服' })).json().user
      .id as number;
  const waiting = await invite('waiting@alipay.example');
  const joined = await invite('joined@alipay.example');
  const accepted = await new Client(t.app).post('/api/v1/auth/accept-invite', {
    token: inviteToken('joined@alipay.example'),
    password: 'blue-kettle-42',
  });
  expect(accepted.statusCode).toBe(200);
  const created = await staff(t.app, 'alipay', a); // made by an admin with a password: never invited

  // Past the link's 7 days and the day after; the next token issued sweeps the old rows.
  t.clock.advance(8 * DAY_MS + 1);
  await invite('later@alipay.example');
  const tokens = t.app.sqlite.prepare('SELECT count(*) FROM account_tokens WHERE user_id IN (?, ?)').pluck();
  expect(tokens.get(waiting, joined)).toBe(0);

  const items = (await a.get('/api/v1/admin/providers/alipay/staff')).json().items as {
    id: number;
    invitePending: boolean;
  }[];
  const pending = (id: number) => items.find((m) => m.id === id)?.invitePending;
  expect([pending(waiting), pending(joined), pending(created.userId)]).toEqual([true, false, false]);

  const page = await a.get('/admin/providers/alipay/staff');
  const row = (id: number) => new RegExp(`<tr id="member-${id}">[\\s\\S]*?</tr>`).exec(page.body)![0];
  expect(row(waiting)).toContain('已邀请，未设置密码');
  expect(row(waiting)).toContain(`/${waiting}/resend-invite`);
  expect(row(joined)).not.toContain('已邀请');
  expect(row(created.userId)).not.toContain('已邀请');
  // The label's button still works: a fresh link for the one still waiting, none for the one who joined.
  expect((await a.post(`/api/v1/admin/staff/${waiting}/resend-invite`)).statusCode).toBe(202);
  expect((await a.post(`/api/v1/admin/staff/${joined}/resend-invite`)).json().error.code).toBe('INVITE_ACCEPTED');
});
