// Takedown removes a case from every surface at once (the search index once the outbox has drained), republish puts it
// back, corrected public texts are audited on the timeline, and only admins may do any of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { consumer, staff } from '../helpers/factories.ts';
import { actors, type Actors, drain, mustAct, publishedCase } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Actors;
beforeEach(async () => {
  t = await makeApp();
  who = await actors(t);
});
afterEach(async () => {
  await t.close();
});

const TITLE = '微信零钱被冻结无法提现';

async function surfaces(id: number): Promise<Record<string, boolean>> {
  const anon = new Client(t.app);
  const html = { accept: 'text/html' };
  const has = (body: string) => body.includes(TITLE) || body.includes(`/cases/${id}"`);
  const indexed = await t.app.board.search.search({ q: '冻结', sort: 'relevance', page: 1, pageSize: 20 });
  return {
    caseApi: (await anon.get(`/api/v1/cases/${id}`)).statusCode === 200,
    casePage: (await anon.get(`/cases/${id}`, html)).statusCode === 200,
    listApi: has((await anon.get('/api/v1/cases?q=冻结')).body),
    listPage: has((await anon.get('/cases?q=冻结', html)).body),
    home: has((await anon.get('/', html)).body),
    providerPage: has((await anon.get('/providers/wechat-pay', html)).body),
    csv: has((await anon.get('/api/v1/cases.csv?provider=wechat-pay')).body), // filtered exports read the live view
    rss: has((await anon.get('/feeds/cases.xml?provider=wechat-pay')).body),
    similar: has(
      (
        await anon.post('/api/v1/similar', {
          provider: '微信',
          title: '零钱冻结',
          description: '微信零钱被冻结了，无法提现',
        })
      ).body,
    ),
    searchIndex: indexed.items.some((h) => h.id === id),
  };
}

const everywhere = (v: boolean) => ({
  caseApi: v,
  casePage: v,
  listApi: v,
  listPage: v,
  home: v,
  providerPage: v,
  csv: v,
  rss: v,
  similar: v,
  searchIndex: v,
});

async function frozenCase() {
  return publishedCase(t, who, {
    provider: 'wechat-pay',
    category: 'account-frozen',
    title: TITLE,
    description: '微信零钱被冻结了，客服说账户有风险，但是一直不说明原因，也不给解冻时间。',
    demands: ['unfreeze'],
  });
}

describe('takedown', () => {
  it('removes a case from every surface at once, and from the search index once the outbox drains', async () => {
    const { id } = await frozenCase();
    await drain(t);
    expect(await surfaces(id)).toEqual(everywhere(true));

    const res = await who.admin.post(`/api/v1/admin/cases/${id}/publication`, {
      type: 'unpublish',
      reason: '含有未能自动识别的个人信息',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'taken_down', published: false });
    // Before the outbox runs, the index still has it, but no reader sees it.
    expect(await surfaces(id)).toEqual({ ...everywhere(false), searchIndex: true });
    await drain(t);
    expect(await surfaces(id)).toEqual(everywhere(false));
    expect(await t.app.board.search.count()).toBe(0);

    const audit = t.app.sqlite
      .prepare(
        "SELECT type, actor_role, internal, body FROM complaint_events WHERE complaint_id = ? AND type = 'unpublish'",
      )
      .all(id);
    expect(audit).toEqual([
      { type: 'unpublish', actor_role: 'admin', internal: 1, body: '含有未能自动识别的个人信息' },
    ]);

    expect((await who.admin.post(`/api/v1/admin/cases/${id}/publication`, { type: 'republish' })).json()).toMatchObject(
      { state: 'published', published: true },
    );
    await drain(t);
    expect(await surfaces(id)).toEqual(everywhere(true));
  });

  it('works through the lifecycle events API too, with 409 naming the state when it does not apply', async () => {
    const { id } = await frozenCase();
    await drain(t);
    expect((await who.admin.post(`/api/v1/complaints/${id}/events`, { type: 'unpublish' })).statusCode).toBe(200);
    await drain(t);
    expect(await surfaces(id)).toEqual(everywhere(false));
    const again = await who.admin.post(`/api/v1/complaints/${id}/events`, { type: 'unpublish' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/当前状态为「.+」/);
    expect((await who.admin.post(`/api/v1/complaints/${id}/events`, { type: 'republish' })).statusCode).toBe(200);
    await drain(t);
    expect(await surfaces(id)).toEqual(everywhere(true));
  });

  it('is for admins only: consumers, staff and visitors get 404', async () => {
    const { id } = await frozenCase();
    const wechatStaff = await staff(t.app, 'wechat-pay', who.admin);
    for (const c of [who.consumer, wechatStaff, new Client(t.app), await consumer(t.app)]) {
      expect([401, 404]).toContain(
        (await c.post(`/api/v1/admin/cases/${id}/publication`, { type: 'unpublish', reason: 'x' })).statusCode,
      );
      expect([401, 404]).toContain((await c.post(`/api/v1/complaints/${id}/events`, { type: 'unpublish' })).statusCode);
    }
    expect((await new Client(t.app).get(`/api/v1/cases/${id}`)).statusCode).toBe(200);
  });

  it('refuses to unpublish what is not public, naming the state', async () => {
    const priv = await publishedCase(t, who, { consent: 'private' });
    const res = await who.admin.post(`/api/v1/admin/cases/${priv.id}/publication`, {
      type: 'unpublish',
      reason: '测试',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('当前公开状态为「未公开」');
    const { id } = await frozenCase();
    const republish = await who.admin.post(`/api/v1/admin/cases/${id}/publication`, { type: 'republish' });
    expect(republish.statusCode).toBe(409);
    expect(republish.json().error.message).toContain('「已公开」');
    const noReason = await who.admin.post(`/api/v1/admin/cases/${id}/publication`, { type: 'unpublish' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
  });

  it('takes a withdrawn case off the board by itself', async () => {
    const { id } = await frozenCase();
    await drain(t);
    await mustAct(who.consumer, id, 'withdraw');
    await drain(t);
    expect(await surfaces(id)).toEqual(everywhere(false));
  });
});

describe('corrected public texts', () => {
  it('replace the machine text everywhere, are scrubbed again, and are audited as internal events', async () => {
    const { id } = await frozenCase();
    await drain(t);
    const anonPage = async () => (await new Client(t.app).get(`/cases/${id}`, { accept: 'text/html' })).body;
    expect(await anonPage()).toContain('一直不说明原因'); // rendered once and kept for anonymous readers
    expect(await anonPage()).toContain('一直不说明原因');
    const text = '微信零钱被冻结，平台已人工核对公开内容。联系电话 13912345678 已删除。关键词鹦鹉螺。';
    const res = await who.admin.post(`/api/v1/admin/cases/${id}/publication`, {
      type: 'public_edit',
      field: 'description',
      text,
    });
    expect(res.statusCode, res.body).toBe(200);
    const c = (await new Client(t.app).get(`/api/v1/cases/${id}`)).json();
    expect(c.description).toContain('平台已人工核对公开内容');
    expect(c.description).toContain('[手机号]');
    expect(c.description).not.toContain('13912345678');
    const page = await anonPage(); // a new version: the kept page is not served
    expect(page).toContain('平台已人工核对公开内容');
    expect(page).not.toContain('一直不说明原因');
    await drain(t);
    expect(
      (await new Client(t.app).get('/api/v1/cases?q=鹦鹉螺')).json().items.map((h: { id: number }) => h.id),
    ).toEqual([id]);
    const audit = t.app.sqlite
      .prepare(
        "SELECT actor_role, internal, data FROM complaint_events WHERE complaint_id = ? AND type = 'public_edit'",
      )
      .get(id);
    expect(audit).toEqual({ actor_role: 'admin', internal: 1, data: JSON.stringify({ field: 'description' }) });
    // The consumer's own view of the complaint does not show internal events.
    const own = (await who.consumer.get(`/api/v1/complaints/${id}`)).json();
    expect(own.timeline.map((e: { type: string }) => e.type)).not.toContain('public_edit');
  });

  it('work from the admin page form, with the message beside the field on bad input', async () => {
    const { id } = await frozenCase();
    const page = await who.admin.get(`/admin/cases/${id}/publication`, { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('从所有公开渠道撤下');
    const bad = await who.admin.form(`/admin/cases/${id}/publication`, {
      type: 'public_edit',
      field: 'title',
      text: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('请填写公开文本');
    const ok = await who.admin.form(`/admin/cases/${id}/publication`, {
      type: 'public_edit',
      field: 'title',
      text: '零钱被冻结（平台编辑）',
    });
    expect(ok.statusCode).toBe(303);
    expect((await new Client(t.app).get(`/api/v1/cases/${id}`)).json().title).toBe('零钱被冻结（平台编辑）');
    expect((await who.consumer.get(`/admin/cases/${id}/publication`, { accept: 'text/html' })).statusCode).toBe(404);
  });
});
