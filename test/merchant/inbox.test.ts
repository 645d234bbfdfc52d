// The merchant inbox: the provider's own complaints, soonest deadline first, filters, countdowns, forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, HOUR, mustAct, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
const ids: Record<string, number> = {};
const html = { accept: 'text/html' };

beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
  ids.older = await complaintIn(who, 'forwarded', { title: '较早转交的投诉' });
  t.clock.advance(2 * HOUR);
  ids.newer = await complaintIn(who, 'forwarded', {
    title: '较晚转交的投诉',
    contactPhone: '13812345678',
    shareContact: true,
  });
  ids.answered = await complaintIn(who, 'in_progress', { title: '已回复的投诉', contactPhone: '13900001111' });
  ids.waiting = await complaintIn(who, 'awaiting_consumer', { title: '等待消费者确认的投诉' });
  ids.draft = await complaintIn(who, 'submitted', { title: '尚在审核的投诉' });
  ids.rejected = await complaintIn(who, 'rejected', { title: '未通过审核的投诉' });
  ids.elsewhere = await complaintIn(who, 'forwarded', { provider: 'wechat-pay', title: '微信支付的投诉' });
  t.clock.advance(23 * HOUR); // the older one's first response is now an hour late
  t.app.sla.tick();
});
afterAll(async () => {
  await t.close();
});

const list = async (q = '') => (await who.staff.get(`/api/v1/merchant/complaints${q}`)).json();

describe('merchant inbox', () => {
  it('lists only the provider’s forwarded complaints, soonest deadline first, with countdowns', async () => {
    const body = await list();
    expect(body.tab).toBe('todo');
    expect(body.items.map((i: { id: number }) => i.id)).toEqual([ids.older, ids.newer, ids.answered]);
    expect(body.total).toBe(3);
    expect(body.counts).toEqual({ todo: 3, overdue: 1, consumer: 1, closed: 0, all: 4 });
    const [older, newer, answered] = body.items;
    const [waiting] = (await list('?tab=consumer')).items;
    expect(older).toMatchObject({ overdue: true, deadline: { kind: '首次回复', text: '已超时 1 小时', late: true } });
    expect(newer).toMatchObject({
      overdue: false,
      deadline: { kind: '首次回复', text: '剩余 1 小时 0 分', late: false },
    });
    expect(answered.deadline).toMatchObject({ kind: '提出解决方案', text: '剩余 25 小时 0 分' }); // forwarded at +2 h, due at +50 h, now +25 h
    expect(waiting).toMatchObject({ deadline: null, resolutionPaused: true });
  });

  it('filters by status and by overdue', async () => {
    expect((await list('?status=in_progress')).items.map((i: { id: number }) => i.id)).toEqual([ids.answered]);
    expect((await list('?overdue=1')).items.map((i: { id: number }) => i.id)).toEqual([ids.older]);
    expect((await list('?overdue=0&status=forwarded')).items.map((i: { id: number }) => i.id)).toEqual([ids.newer]);
  });

  it.each([
    ['?status=submitted', 'status'],
    ['?status=bogus', 'status'],
    ['?overdue=maybe', 'overdue'],
    ['?page=0', 'page'],
    ['?page=2', 'page'],
    ['?tab=open', 'tab'],
    ['?cursor=%%%', 'cursor'],
    ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    [`?q=${'冻'.repeat(101)}`, 'q'],
  ])('bad filter %s is 400 on %s', async (q, field) => {
    const res = await who.staff.get(`/api/v1/merchant/complaints${q}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe(field);
  });

  it('the inbox page shows countdowns, the overdue badge and the filter form', async () => {
    const page = await who.staff.get('/merchant', html);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('首次回复：已超时 1 小时');
    expect(page.body).toContain('首次回复：剩余 1 小时 0 分');
    expect(page.body).toContain('class="badge overdue"');
    expect(page.body).not.toContain('尚在审核的投诉');
    expect(page.body).not.toContain('微信支付的投诉');
    const filtered = await who.staff.get('/merchant?overdue=1', html);
    expect(filtered.body).toContain('较早转交的投诉');
    expect(filtered.body).not.toContain('较晚转交的投诉');
  });

  it('the complaint page shows the complaint, attachments and the forms the state allows; contact only with consent', async () => {
    const page = (await who.staff.get(`/merchant/complaints/${ids.newer}`, html)).body;
    for (const f of ['reply', 'request_info', 'propose_resolution', 'note']) expect(page).toContain(`id="form-${f}"`);
    expect(page).toContain('13812345678');
    const noConsent = (await who.staff.get(`/merchant/complaints/${ids.answered}`, html)).body;
    expect(noConsent).not.toContain('13900001111');
    expect(noConsent).toContain('消费者未同意提供');
    const waiting = (await who.staff.get(`/merchant/complaints/${ids.waiting}`, html)).body;
    expect(waiting).not.toContain('id="form-request_info"');
    expect(waiting).toContain('id="form-note"');
  });

  it('replies through the form; an empty reply comes back with the message beside the field', async () => {
    const id = await complaintIn(who, 'forwarded');
    const bad = await who.staff.form(`/merchant/complaints/${id}/events`, { type: 'reply', body: '  ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="reply-body-error"[^>]*>请填写回复内容/);
    const ok = await who.staff.form(`/merchant/complaints/${id}/events`, {
      type: 'reply',
      body: '您好，已为您加急处理。',
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/merchant/complaints/${id}?done=reply#timeline`);
    const consumerView = (await who.consumer.get(`/complaints/${id}`, html)).body;
    expect(consumerView).toContain('您好，已为您加急处理。');
    const note = await who.staff.form(`/merchant/complaints/${id}/events`, {
      type: 'note',
      body: '内部：客户情绪激动',
    });
    expect(note.statusCode).toBe(303);
    expect((await who.consumer.get(`/complaints/${id}`, html)).body).not.toContain('客户情绪激动');
  });

  it('is for provider staff only: others get 404, anonymous visitors the merchant login', async () => {
    expect((await who.consumer.get('/api/v1/merchant/complaints')).statusCode).toBe(404);
    expect((await who.admin.get('/api/v1/merchant/complaints')).statusCode).toBe(404);
    expect((await who.consumer.get('/merchant', html)).statusCode).toBe(404);
    const anon = await new (await import('../helpers/client.ts')).Client(t.app).get('/merchant', html);
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/merchant/login?next=%2Fmerchant');
  });

  it('staff log in at /merchant/login and land in the inbox', async () => {
    const { Client } = await import('../helpers/client.ts');
    const c = new Client(t.app);
    const res = await c.form('/merchant/login', {
      email: (who.staff as unknown as { email: string }).email,
      password: 'staff-password-1',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/merchant');
    expect((await c.get('/merchant', html)).body).toContain('较早转交的投诉');
  });
});

describe('another provider cannot', () => {
  it('list the complaints (API and page)', async () => {
    const theirs = (await who.otherStaff.get('/api/v1/merchant/complaints')).json();
    expect(theirs.items.map((i: { id: number }) => i.id)).toEqual([ids.elsewhere]);
    const page = (await who.otherStaff.get('/merchant', html)).body;
    expect(page).not.toContain('较早转交的投诉');
    expect(page).toContain('微信支付的投诉');
  });

  it('see a complaint (API, merchant page, complaint page)', async () => {
    expect((await who.otherStaff.get(`/api/v1/complaints/${ids.older}`)).statusCode).toBe(404);
    expect((await who.otherStaff.get(`/merchant/complaints/${ids.older}`, html)).statusCode).toBe(404);
    expect((await who.otherStaff.get(`/complaints/${ids.older}`, html)).statusCode).toBe(404);
  });

  it('act on a complaint (API and form)', async () => {
    expect(
      (await who.otherStaff.post(`/api/v1/complaints/${ids.newer}/events`, { type: 'reply', body: '越权回复' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await who.otherStaff.form(`/merchant/complaints/${ids.newer}/events`, { type: 'note', body: '越权备注' }))
        .statusCode,
    ).toBe(404);
    const v = (await who.staff.get(`/api/v1/complaints/${ids.newer}`)).json();
    expect(v.timeline.some((e: { body: string | null }) => e.body?.includes('越权'))).toBe(false);
  });

  it('download an attachment', async () => {
    const { png } = await import('../helpers/files.ts');
    const res = await who.consumer.multipart(
      '/api/v1/complaints',
      {
        provider: 'alipay',
        category: 'refund-pending',
        title: '带截图的投诉',
        description: '退款申请已经超过十天仍未到账，截图见附件。',
        demands: 'refund',
        consent: 'private',
      },
      [{ filename: '截图.png', data: png(), type: 'image/png' }],
    );
    const id = res.json().id as number;
    await mustAct(who.admin, id, 'approve');
    const url = (await who.staff.get(`/api/v1/complaints/${id}`)).json().attachments[0].url as string;
    expect((await who.staff.get(url)).statusCode).toBe(200);
    expect((await who.otherStaff.get(url)).statusCode).toBe(404);
  });

  it('see complaints still under moderation, even their own provider’s', async () => {
    expect((await who.staff.get(`/api/v1/complaints/${ids.draft}`)).statusCode).toBe(404);
    expect((await who.staff.get(`/api/v1/complaints/${ids.rejected}`)).statusCode).toBe(404);
  });
});
