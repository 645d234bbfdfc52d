// The same actions as HTML forms: only the forms the state allows are shown, a good post redirects back, a bad one
// comes back with the message beside its field and the typed text kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterAll(async () => {
  await t.close();
});

const html = { accept: 'text/html' };
const forms = (page: string) => [...page.matchAll(/id="form-([a-z_]+)/g)].map((m) => m[1]).sort();
const statusOf = (id: number) =>
  (t.app.sqlite.prepare('SELECT status FROM complaints WHERE id = ?').get(id) as { status: string }).status;

describe('consumer follow-up forms', () => {
  it.each([
    ['forwarded', ['supplement', 'withdraw']],
    ['in_progress', ['supplement', 'withdraw']],
    ['awaiting_consumer', ['confirm', 'dispute', 'supplement', 'withdraw']],
    ['resolved', ['reopen']],
    ['withdrawn', []],
  ])('in %s the consumer sees exactly the forms %j', async (status, expected) => {
    const id = await complaintIn(who, status);
    const page = await who.consumer.get(`/complaints/${id}`, html);
    expect(page.statusCode).toBe(200);
    expect(forms(page.body)).toEqual([...expected].sort());
  });

  it('confirms with the three ratings and a comment through the form', async () => {
    const id = await complaintIn(who, 'awaiting_consumer');
    const page = (await who.consumer.get(`/complaints/${id}`, html)).body;
    for (const label of ['服务态度', '处理速度', '满意度']) expect(page).toContain(label);
    const res = await who.consumer.form(`/complaints/${id}/events`, {
      type: 'confirm',
      'rating.attitude': '5',
      'rating.speed': '3',
      'rating.satisfaction': '4',
      body: '处理得不错',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/complaints/${id}?done=confirm#timeline`);
    expect(statusOf(id)).toBe('resolved');
    const after = (await who.consumer.get(`/complaints/${id}`, html)).body;
    expect(after).toContain('服务态度 5 分 · 处理速度 3 分 · 满意度 4 分');
  });

  it('a confirm form missing a rating comes back (400) with the message beside it and the comment kept', async () => {
    const id = await complaintIn(who, 'awaiting_consumer');
    const res = await who.consumer.form(`/complaints/${id}/events`, {
      type: 'confirm',
      'rating.attitude': '5',
      'rating.speed': '9',
      body: '我写的评价<b>保留</b>',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/id="rating\.speed-error"[^>]*>「处理速度」评分（1-5 分）不能大于 5/);
    expect(res.body).toMatch(/id="rating\.satisfaction-error"[^>]*>请为「满意度」打分/);
    expect(res.body).toContain('我写的评价&lt;b&gt;保留&lt;/b&gt;');
    expect(res.body).toMatch(/name="rating\.attitude" value="5" checked/);
    expect(statusOf(id)).toBe('awaiting_consumer');
  });

  it('a form for an action the state no longer allows comes back 409 with the state named', async () => {
    const id = await complaintIn(who, 'in_progress');
    const res = await who.consumer.form(`/complaints/${id}/events`, { type: 'dispute', body: '不认可' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('当前状态为「处理中」，不能执行此操作');
  });

  it('supplements with a file through the multipart form', async () => {
    const { png } = await import('../helpers/files.ts');
    const id = await complaintIn(who, 'awaiting_consumer');
    const res = await who.consumer.multipart(
      `/complaints/${id}/events`,
      { type: 'supplement', body: '补充扣款截图。' },
      [{ filename: '扣款.png', data: png(), type: 'image/png' }],
      { html: true },
    );
    expect(res.statusCode).toBe(303);
    expect(statusOf(id)).toBe('in_progress');
    const page = (await who.consumer.get(`/complaints/${id}`, html)).body;
    expect(page).toContain('扣款.png');
    expect(page).toContain('补充扣款截图。');
    const empty = await who.consumer.multipart(`/complaints/${id}/events`, { type: 'supplement', body: '' }, [], {
      html: true,
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toMatch(/id="supplement-body-error"[^>]*>请填写补充内容/);
  });

  it('a form without the CSRF field is refused', async () => {
    const id = await complaintIn(who, 'forwarded');
    const res = await who.consumer.form(`/complaints/${id}/events`, { type: 'withdraw' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(statusOf(id)).toBe('forwarded');
  });

  it('user text in the timeline is escaped', async () => {
    const id = await complaintIn(who, 'forwarded');
    await who.staff.post(`/api/v1/complaints/${id}/events`, { type: 'reply', body: '<script>alert(1)</script>您好' });
    const page = (await who.consumer.get(`/complaints/${id}`, html)).body;
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;您好');
  });

  it('a rejected complaint is edited and resubmitted through the edit form', async () => {
    const id = await complaintIn(who, 'rejected');
    const page = await who.consumer.get(`/complaints/${id}`, html);
    expect(page.body).toContain('修改并重新提交');
    const edit = await who.consumer.get(`/complaints/${id}/edit`, html);
    expect(edit.body).toContain('请补充交易时间和金额');
    const bad = await who.consumer.form(`/complaints/${id}/edit`, {
      provider: '支付宝',
      category: 'refund-pending',
      title: '短',
      description: '太短',
      demands: ['refund'],
      consent: 'public',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="title-error"[^>]*>投诉标题至少需要 4 个字/);
    const ok = await who.consumer.form(`/complaints/${id}/edit`, {
      provider: '支付宝',
      category: 'refund-pending',
      title: '支付宝退款十天未到账',
      demands: ['refund', 'explanation'],
      consent: 'public',
      amountYuan: '569.78',
      description: '11月1日 14:32 申请退款 569.78 元，商家已同意，支付宝一直显示处理中。',
    });
    expect(ok.statusCode).toBe(303);
    expect(statusOf(id)).toBe('submitted');
    const v = (await who.consumer.get(`/api/v1/complaints/${id}`)).json();
    expect(v).toMatchObject({ title: '支付宝退款十天未到账', amountFen: 56978, demands: ['refund', 'explanation'] });
  });
});

describe('admin forms on the complaint page', () => {
  it('shows approve and reject for a submitted complaint; a reject without reason comes back with the message', async () => {
    const id = await complaintIn(who, 'submitted');
    const page = await who.admin.get(`/complaints/${id}`, html);
    expect(forms(page.body)).toEqual([`approve`, `reject`]);
    const res = await who.admin.form(`/complaints/${id}/events`, { type: 'reject', reason: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('请填写未通过的原因');
    const ok = await who.admin.form(`/complaints/${id}/events`, { type: 'reject', reason: '缺少交易金额' });
    expect(ok.statusCode).toBe(303);
    expect(statusOf(id)).toBe('rejected');
  });

  it('an admin closes an open case as unresolved', async () => {
    const id = await complaintIn(who, 'in_progress');
    expect(forms((await who.admin.get(`/complaints/${id}`, html)).body)).toEqual(['close']);
    expect(
      (await who.admin.form(`/complaints/${id}/events`, { type: 'close_unresolved', reason: '机构拒绝处理' }))
        .statusCode,
    ).toBe(303);
    expect(statusOf(id)).toBe('closed_unresolved');
  });
});
