// The admin's moderation queue and dashboard.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { png } from '../helpers/files.ts';
import { cast, complaintIn, HOUR, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
beforeEach(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterEach(async () => {
  await t.close();
});

const html = { accept: 'text/html' };
const statusOf = (id: number) =>
  (t.app.sqlite.prepare('SELECT status FROM complaints WHERE id = ?').get(id) as { status: string }).status;

describe('moderation queue', () => {
  it('lists submitted complaints oldest first with text, attachments and the provider (unverified flagged)', async () => {
    const first = await complaintIn(who, 'submitted', { title: '最早的待审核投诉' });
    t.clock.advance(HOUR);
    const res = await who.consumer.multipart(
      '/api/v1/complaints',
      {
        provider: '某某小钱包',
        category: 'account-frozen',
        title: '账户被冻结无法提现',
        description: '账户突然被冻结，客服一直说在核实，已经一周了。',
        demands: 'unfreeze',
        consent: 'public',
      },
      [{ filename: '冻结通知.png', data: png(), type: 'image/png' }],
    );
    const second = res.json().id as number;
    await complaintIn(who, 'forwarded', { title: '已经转交的投诉' });
    await complaintIn(who, 'rejected', { title: '已经驳回的投诉' });

    const api = (await who.admin.get('/api/v1/admin/queue')).json();
    expect(api.items.map((i: { id: number }) => i.id)).toEqual([first, second]);
    expect(api.items[1]).toMatchObject({
      provider: { name: '某某小钱包', verified: false },
      attachments: [expect.objectContaining({ name: '冻结通知.png' })],
    });

    const page = (await who.admin.get('/admin/queue', html)).body;
    expect(page.indexOf('最早的待审核投诉')).toBeLessThan(page.indexOf('账户被冻结无法提现'));
    expect(page).toContain('客服一直说在核实');
    expect(page).toContain('冻结通知.png');
    expect(page).toContain('未核实机构');
    expect(page).not.toContain('已经转交的投诉');
    expect(page).not.toContain('已经驳回的投诉');
    expect(page).toContain(`id="form-approve-${first}"`);
    expect(page).toContain(`id="form-reject-${second}"`);
  });

  it('approves from the queue: forwarded, clocks started, deliveries planned', async () => {
    const id = await complaintIn(who, 'submitted');
    const res = await who.admin.form(`/admin/queue/${id}/events`, { type: 'approve' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/queue?done=approve');
    expect(statusOf(id)).toBe('forwarded');
    const row = t.app.sqlite
      .prepare('SELECT forwarded_at, first_response_due_at, next_deadline_at FROM complaints WHERE id = ?')
      .get(id) as Record<string, number>;
    expect(row.first_response_due_at - row.forwarded_at).toBe(24 * HOUR);
    expect(
      (
        t.app.sqlite
          .prepare("SELECT count(*) AS n FROM outbox WHERE topic = 'delivery' AND complaint_id = ?")
          .get(id) as { n: number }
      ).n,
    ).toBeGreaterThan(0);
    expect((await who.admin.get('/admin/queue', html)).body).not.toContain(`form-approve-${id}`);
  });

  it('a rejection without a reason comes back beside that complaint’s field; with one, the consumer reads it', async () => {
    const other = await complaintIn(who, 'submitted');
    const id = await complaintIn(who, 'submitted');
    const bad = await who.admin.form(`/admin/queue/${id}/events`, { type: 'reject', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="reject-reason-error"[^>]*>请填写未通过的原因/);
    expect(statusOf(id)).toBe('submitted');
    expect(statusOf(other)).toBe('submitted');
    const ok = await who.admin.form(`/admin/queue/${id}/events`, {
      type: 'reject',
      reason: '请补充涉诉金额与交易时间',
    });
    expect(ok.statusCode).toBe(303);
    expect(statusOf(id)).toBe('rejected');
    const page = (await who.consumer.get(`/complaints/${id}`, html)).body;
    expect(page).toContain('请补充涉诉金额与交易时间');
    expect(page).toContain('修改并重新提交');
  });

  it('approving twice (two admins racing) is 409 the second time', async () => {
    const id = await complaintIn(who, 'submitted');
    expect((await who.admin.form(`/admin/queue/${id}/events`, { type: 'approve' })).statusCode).toBe(303);
    const again = await who.admin.form(`/admin/queue/${id}/events`, { type: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('当前状态为「已转交商家」');
  });

  it('is admin only: 404 for consumers and staff, the login page for visitors', async () => {
    for (const c of [who.consumer, who.staff]) {
      expect((await c.get('/admin/queue', html)).statusCode).toBe(404);
      expect((await c.get('/admin', html)).statusCode).toBe(404);
      expect((await c.get('/api/v1/admin/queue')).statusCode).toBe(404);
    }
    const id = await complaintIn(who, 'submitted');
    expect((await who.staff.form(`/admin/queue/${id}/events`, { type: 'approve' })).statusCode).toBe(404);
    expect(statusOf(id)).toBe('submitted');
    const anon = await new Client(t.app).get('/admin/queue', html);
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toContain('/login');
  });
});

describe('admin dashboard', () => {
  it('links to the queue, deliveries and calls, and lists overdue cases', async () => {
    await complaintIn(who, 'submitted');
    const late = await complaintIn(who, 'forwarded', { title: '超时未回复的投诉' });
    t.clock.advance(25 * HOUR);
    t.app.sla.tick();
    const page = (await who.admin.get('/admin', html)).body;
    for (const href of ['/admin/queue', '/admin/deliveries', '/admin/calls']) expect(page).toContain(`href="${href}"`);
    expect(page).toContain('超时未回复的投诉');
    expect(page).toContain(`href="/complaints/${late}"`);
    expect(page).toMatch(/已超时 <strong>1<\/strong> 件/);
  });
});
