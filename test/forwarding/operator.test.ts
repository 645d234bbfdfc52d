// Hotline and research deliveries: an operator task with number, reference and script at /admin/calls; the outcome
// completes the delivery or reschedules it; research done plans the deliveries the new contact allows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { admin } from '../helpers/factories.ts';
import { forwarded, HOUR } from './setup.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const timeline = async (id: number) =>
  ((await (await admin(t.app)).get(`/api/v1/complaints/${id}`)).json().timeline as { type: string; body: string }[])
    .filter((e) => e.type === 'delivery')
    .map((e) => e.body);

describe('hotline forwarding', () => {
  it('a provider with only a hotline becomes a call task; the consumer sees it is waiting for the call', async () => {
    const { complaint, consumer, plan } = await forwarded(t.app, 'alipay');
    expect(plan.channels).toEqual(['portal', 'hotline']);
    await t.app.outbox.drain();
    const a = await admin(t.app);
    const calls = (await a.get('/api/v1/admin/calls')).json().items;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      channel: 'hotline',
      number: '95188',
      reference: complaint.reference,
      providerName: '支付宝',
      due: true,
    });
    expect(calls[0].script).toContain(complaint.reference);
    // Planned here without an approval, so no clocks were started: the script says so rather than inventing hours
    // (test/sla/one-policy.test.ts checks the script of an approved complaint quotes its due times).
    expect(calls[0].script).toContain('尽快首次回复并提出解决方案（时限见商家工作台）');

    const page = await a.get('/admin/calls');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('95188');
    expect(page.body).toContain(complaint.reference);

    const own = (await consumer.get(`/api/v1/complaints/${complaint.id}`)).json();
    expect(own.timeline.map((e: { body: string }) => e.body)).toContain(
      '已转交 支付宝 95188（电话转交，待运营人员拨打）',
    );
    expect(own.deliveries).toEqual([
      expect.objectContaining({ channel: 'portal', status: 'done' }),
      expect.objectContaining({ channel: 'hotline', status: 'sending', withOperator: true, lastError: null }),
    ]);
  });

  it('no answer reschedules the call; reached completes the delivery', async () => {
    const { complaint } = await forwarded(t.app, 'alipay');
    await t.app.outbox.drain();
    const a = await admin(t.app);
    const id = (await a.get('/api/v1/admin/calls')).json().items[0].id;

    const missed = await a.post(`/api/v1/admin/calls/${id}/outcome`, { outcome: 'no_answer' });
    expect(missed.statusCode).toBe(200);
    expect(missed.json()).toMatchObject({ status: 'sending', withOperator: true, attempts: 2 });
    expect(missed.json().lastError).toMatch(/^无人接听/);
    const later = (await a.get('/api/v1/admin/calls')).json().items[0];
    expect(later.due).toBe(false);
    expect(Date.parse(later.dueAt)).toBe(t.clock.now() + 2 * HOUR);

    t.clock.advance(2 * HOUR);
    const form = await a.form(`/admin/calls/${id}/outcome`, { outcome: 'reached', note: '客服王女士已记录' });
    expect(form.statusCode).toBe(303);
    expect((await a.get('/api/v1/admin/calls')).json().items).toHaveLength(0);
    const d = (await a.get(`/api/v1/admin/deliveries/${id}`)).json();
    expect(d).toMatchObject({ status: 'done', attemptCount: 3 });
    expect(d.attempts.map((x: { detail: string }) => x.detail)).toEqual([
      '已生成电话转交任务：拨打 95188',
      expect.stringMatching(/^无人接听/),
      expect.stringMatching(/^接通并已告知：客服王女士已记录/),
    ]);
    expect(await timeline(complaint.id)).toEqual([
      '已转交 支付宝（商家工作台）',
      '已转交 支付宝 95188（电话转交，待运营人员拨打）',
      '已电话告知 支付宝 95188（电话转交）',
    ]);
  });

  it('bad outcomes get a message beside the field (form) or a field error (JSON)', async () => {
    await forwarded(t.app, 'alipay');
    await t.app.outbox.drain();
    const a = await admin(t.app);
    const id = (await a.get('/api/v1/admin/calls')).json().items[0].id;
    const none = await a.post(`/api/v1/admin/calls/${id}/outcome`, {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error).toMatchObject({ field: 'outcome' });
    const bogus = await a.post(`/api/v1/admin/calls/${id}/outcome`, { outcome: 'found' });
    expect(bogus.json().error.field).toBe('outcome');
    const other = await a.form(`/admin/calls/${id}/outcome`, { outcome: 'other' });
    expect(other.statusCode).toBe(400);
    expect(other.body).toContain('选择「其他」时请填写备注');
    expect((await a.post('/api/v1/admin/calls/999999/outcome', { outcome: 'reached' })).statusCode).toBe(404);
  });
});

describe('research for a provider without any contact', () => {
  it('becomes a research task; once an admin adds a contact and marks it found, the new channel is planned', async () => {
    const { complaint } = await forwarded(t.app, '某某小众钱包');
    await t.app.outbox.drain();
    const a = await admin(t.app);
    const task = (await a.get('/api/v1/admin/calls')).json().items[0];
    expect(task).toMatchObject({ channel: 'research', verified: false });
    expect((await a.get('/admin/calls')).body).toContain('待核实机构：请查找联系方式');

    // "Found" before a contact exists is refused.
    const early = await a.post(`/api/v1/admin/calls/${task.id}/outcome`, { outcome: 'found' });
    expect(early.statusCode).toBe(400);

    const edit = await a.get(`/admin/providers/${task.providerSlug}/edit`);
    expect(edit.statusCode).toBe(200);
    const bad = await a.form(`/admin/providers/${task.providerSlug}/edit`, { name: '某某小众钱包', hotline: 'abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('客服电话格式不正确');
    const saved = await a.form(`/admin/providers/${task.providerSlug}/edit`, {
      name: '某某小众钱包',
      hotline: '400-123-4567',
      contactSource: '官网联系我们页面',
      verified: 'on',
    });
    expect(saved.statusCode).toBe(303);

    expect(
      (await a.post(`/api/v1/admin/calls/${task.id}/outcome`, { outcome: 'found', note: '官网' })).statusCode,
    ).toBe(200);
    await t.app.outbox.drain();
    const items = (await a.get('/api/v1/admin/calls')).json().items;
    expect(items).toEqual([
      expect.objectContaining({ channel: 'hotline', number: '400-123-4567', complaintId: complaint.id }),
    ]);
    expect(await timeline(complaint.id)).toEqual([
      '已转交 某某小众钱包（商家工作台）',
      '某某小众钱包 的联系方式待核实，平台运营人员正在查找',
      '已核实 某某小众钱包 的联系方式',
      '已转交 某某小众钱包 400-123-4567（电话转交，待运营人员拨打）',
    ]);
  });
});
