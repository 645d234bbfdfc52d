// Names consumers type that match no listed provider: suggested first, private while pending, then verified, merged
// or rejected by an admin, with the board (public copy, search, scorecards) and forwarding following each decision.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { actors, type Actors, drain, mustAct, staffFor } from '../helpers/lifecycle.ts';
import { fileComplaint } from '../helpers/factories.ts';

let t: TestApp;
let who: Actors;
let anon: Client;
beforeEach(async () => {
  t = await makeApp();
  who = await actors(t);
  anon = new Client(t.app);
});
afterEach(async () => {
  await t.close();
});

const TEXT = {
  title: '转账失败但已扣款未退回',
  description: '转账显示失败但是钱已经扣了，三天了还没有退回来，客服一直推脱。',
  amountFen: 12000,
};
const slugOfComplaint = (id: number) =>
  t.app.sqlite
    .prepare('SELECT p.slug FROM complaints c JOIN providers p ON p.id = c.provider_id WHERE c.id = ?')
    .pluck()
    .get(id) as string;
const statusOfProvider = (slug: string) =>
  t.app.sqlite.prepare('SELECT status FROM providers WHERE slug = ?').pluck().get(slug) as string;

/** Files against a typed name and approves: the case is public (consent public) once the outbox has run. */
async function filedAgainst(name: string, extra: Record<string, unknown> = {}) {
  const c = await fileComplaint(who.consumer, { provider: name, ...TEXT, ...extra });
  await mustAct(who.admin, c.id, 'approve');
  await drain(t);
  return { id: c.id, slug: slugOfComplaint(c.id) };
}

describe('suggestions', () => {
  it.each([
    ['支付保', 'alipay', 'pinyin'],
    ['农行', 'abc-bank', 'alias'],
    ['zfb', 'alipay', 'initials'],
    ['Alipay', 'alipay', 'alias'],
    ['nh', 'abc-bank', 'initials'],
    ['alipy', 'alipay', 'spelling'],
  ])('%s suggests %s first (by %s)', async (q, slug, by) => {
    const res = await anon.get(`/api/v1/providers/suggest?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toEqual({ slug, name: expect.any(String), matchedBy: by });
  });

  it('suggests nothing for nonsense, and never a pending name', async () => {
    for (const q of ['随便写写', 'xqzvw', '李雷 15011112222 骗子']) {
      expect((await anon.get(`/api/v1/providers/suggest?q=${encodeURIComponent(q)}`)).json(), q).toEqual({ items: [] });
    }
    await filedAgainst('云付通钱包');
    expect((await anon.get(`/api/v1/providers/suggest?q=${encodeURIComponent('云付通钱包')}`)).json()).toEqual({
      items: [],
    });
  });

  it('answers bad input with a clear 400', async () => {
    const missing = await anon.get('/api/v1/providers/suggest');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'INVALID', field: 'q' });
    const long = await anon.get(`/api/v1/providers/suggest?q=${'长'.repeat(41)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toContain('40');
  });

  it('the form asks "你是不是要找" before filing an unknown name, then files what the consumer chose', async () => {
    const fields = {
      provider: '支付保',
      category: 'transaction-failed',
      title: TEXT.title,
      description: TEXT.description,
      demands: 'refund',
      consent: 'public',
      submissionKey: 'k1',
    };
    const ask = await who.consumer.multipart('/complaints/new', fields, [], { html: true });
    expect(ask.statusCode).toBe(400);
    expect(ask.body).toContain('你是不是要找：支付宝？');
    expect(ask.body).toMatch(/name="providerPick" value="alipay"/);
    expect(ask.body).toMatch(/name="providerPick" value="__keep"/);
    expect(t.app.sqlite.prepare('SELECT count(*) FROM complaints').pluck().get()).toBe(0);

    const picked = await who.consumer.multipart('/complaints/new', { ...fields, providerPick: 'alipay' }, [], {
      html: true,
    });
    expect(picked.statusCode).toBe(303);
    const kept = await who.consumer.multipart(
      '/complaints/new',
      { ...fields, submissionKey: 'k2', providerPick: '__keep' },
      [],
      { html: true },
    );
    expect(kept.statusCode).toBe(303);
    const rows = t.app.sqlite
      .prepare(
        'SELECT p.slug, p.name, p.status FROM complaints c JOIN providers p ON p.id = c.provider_id ORDER BY c.id',
      )
      .all();
    expect(rows).toEqual([
      { slug: 'alipay', name: '支付宝', status: 'listed' },
      { slug: expect.stringMatching(/^p-/), name: '支付保', status: 'pending' },
    ]);
  });

  it('refuses a provider name over 40 characters with a field error', async () => {
    const res = await who.consumer.post('/api/v1/complaints', {
      provider: '某'.repeat(41),
      category: 'other',
      demands: ['refund'],
      consent: 'public',
      ...TEXT,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'provider', message: expect.stringContaining('40') });
  });
});

describe('review by an admin', () => {
  it('a pending name is private; verifying lists it and its cases move from 其他机构 to it', async () => {
    const { id, slug } = await filedAgainst('云付通钱包');
    expect(statusOfProvider(slug)).toBe('pending');
    expect((await anon.get(`/api/v1/cases/${id}`)).json().provider).toMatchObject({ slug: 'other', name: '其他机构' });
    expect((await anon.get(`/providers/${slug}`, { accept: 'text/html' })).statusCode).toBe(404);
    const queue = (await who.admin.get('/api/v1/admin/providers/pending')).json().items;
    expect(queue).toEqual([expect.objectContaining({ slug, name: '云付通钱包', complaints: 1, personalData: false })]);

    expect(
      (await who.admin.get('/api/v1/admin/calls')).json().items.map((x: { channel: string }) => x.channel),
    ).toEqual(['research']);
    const res = await who.admin.post(`/api/v1/admin/providers/${slug}/verify`, {
      hotline: '95516',
      contactSource: '官网客服页',
      lastVerifiedAt: '2026-11-02',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().provider).toMatchObject({
      slug,
      name: '云付通钱包',
      hotline: '95516',
      verified: true,
      lastVerifiedAt: '2026-11-02T00:00:00.000Z',
    });
    await drain(t);
    expect((await anon.get('/api/v1/providers')).json().items.map((p: { slug: string }) => p.slug)).toContain(slug);
    expect((await anon.get(`/providers/${slug}`, { accept: 'text/html' })).statusCode).toBe(200);
    expect((await anon.get(`/api/v1/cases/${id}`)).json().provider).toMatchObject({ slug, name: '云付通钱包' });
    const list = (await anon.get('/api/v1/cases?q=转账失败')).json();
    expect(list.facets.provider).toEqual({ [slug]: 1 });
    expect((await anon.get(`/api/v1/providers/${slug}/scorecard`)).json().complaints).toBe(1);
    expect((await who.admin.get('/api/v1/admin/providers/pending')).json().items).toEqual([]);
    // The research task is closed: the complaint is now a call to the verified hotline.
    const tasks = (await who.admin.get('/api/v1/admin/calls')).json().items;
    expect(
      tasks.map((x: { complaintId: number; channel: string; number: string }) => [x.complaintId, x.channel, x.number]),
    ).toEqual([[id, 'hotline', '95516']]);
    // The audit trail: an internal event on the complaint, by the admin.
    const events = t.app.sqlite
      .prepare("SELECT actor_role, internal FROM complaint_events WHERE complaint_id = ? AND type = 'provider_review'")
      .all(id);
    expect(events).toEqual([{ actor_role: 'admin', internal: 1 }]);
  });

  it('merging moves complaints, scorecard figures and waiting forwarding to the target; the name becomes its alias', async () => {
    const a = await filedAgainst('支付保');
    const b = await filedAgainst('支付保');
    expect(b.slug).toBe(a.slug); // the same typo does not make a second pending entry
    const before = (await anon.get('/api/v1/providers/alipay/scorecard')).json().complaints;
    // No contact for a pending name: its forwarding waits with an operator (research).
    expect(
      (await who.admin.get('/api/v1/admin/calls'))
        .json()
        .items.map((x: { complaintId: number }) => x.complaintId)
        .sort(),
    ).toEqual([a.id, b.id].sort());

    const res = await who.admin.post(`/api/v1/admin/providers/${a.slug}/merge`, { into: 'alipay' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ moved: 2, aliasAdded: true });
    expect(res.json().provider.aliases).toContain('支付保');
    await drain(t);
    expect(statusOfProvider(a.slug)).toBe('merged');
    expect(slugOfComplaint(a.id)).toBe('alipay');
    expect((await anon.get('/api/v1/providers/alipay/scorecard')).json().complaints).toBe(before + 2);
    expect((await anon.get(`/api/v1/cases/${a.id}`)).json().provider).toMatchObject({ slug: 'alipay', name: '支付宝' });
    expect((await anon.get('/api/v1/cases?provider=alipay&q=转账失败')).json().total).toBe(2);
    // The research tasks are closed; the complaints go through the target's own channels: its merchant inbox, and a
    // call to its hotline (支付宝 has no electronic channel).
    const tasks = (await who.admin.get('/api/v1/admin/calls')).json().items;
    expect(
      tasks
        .map((x: { complaintId: number; channel: string; providerSlug: string; number: string }) => [
          x.complaintId,
          x.channel,
          x.providerSlug,
          x.number,
        ])
        .sort(),
    ).toEqual(
      [
        [a.id, 'hotline', 'alipay', '95188'],
        [b.id, 'hotline', 'alipay', '95188'],
      ].sort(),
    );
    const staff = await staffFor(t, who, 'alipay');
    const inbox = (await staff.get('/api/v1/merchant/complaints')).json().items.map((x: { id: number }) => x.id);
    expect(inbox).toEqual(expect.arrayContaining([a.id, b.id]));
    // The alias now finds the target when filing.
    const again = await fileComplaint(who.consumer, { provider: '支付保', ...TEXT });
    expect(slugOfComplaint(again.id)).toBe('alipay');
  });

  it('a name carrying personal data is shown scrubbed to staff and never becomes an alias', async () => {
    const { id, slug } = await filedAgainst('李雷 15011112222 骗子');
    const queue = (await who.admin.get('/api/v1/admin/providers/pending')).json().items;
    expect(queue[0]).toMatchObject({ slug, personalData: true });
    expect(queue[0].name).not.toContain('15011112222');
    const page = await who.admin.get('/admin/providers/pending', { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('15011112222');
    const verify = await who.admin.post(`/api/v1/admin/providers/${slug}/verify`, { contactSource: '测试' });
    expect(verify.statusCode).toBe(400);
    expect(verify.json().error).toMatchObject({ code: 'NAME_PERSONAL', field: 'name' });
    const res = await who.admin.post(`/api/v1/admin/providers/${slug}/merge`, { into: 'wechat-pay' });
    expect(res.json()).toMatchObject({ moved: 1, aliasAdded: false });
    expect(JSON.stringify(res.json().provider.aliases)).not.toContain('李雷');
    expect(slugOfComplaint(id)).toBe('wechat-pay');
  });

  it('rejecting keeps the name private for good; the complaint stays with its consumer, shown under 其他机构', async () => {
    const { id, slug } = await filedAgainst('某某黑平台');
    const res = await who.admin.form(`/admin/providers/${slug}/review`, { action: 'reject', reason: '垃圾信息' });
    expect(res.statusCode).toBe(303);
    await drain(t);
    expect(statusOfProvider(slug)).toBe('rejected');
    expect((await who.consumer.get(`/api/v1/complaints/${id}`)).statusCode).toBe(200);
    const pub = await anon.get(`/api/v1/cases/${id}`);
    expect(pub.json().provider).toMatchObject({ slug: 'other' });
    for (const url of [
      '/api/v1/providers',
      '/api/v1/cases',
      `/api/v1/cases/${id}`,
      '/feeds/cases.xml',
      '/api/v1/cases.csv',
    ]) {
      expect((await anon.get(url)).body, url).not.toContain('某某黑平台');
    }
    expect((await anon.get(`/api/v1/providers/${slug}`)).statusCode).toBe(404);
    expect((await who.admin.get('/api/v1/admin/providers/pending')).json().items).toEqual([]);
  });

  it('answers bad input with clear 4xx JSON', async () => {
    const { slug } = await filedAgainst('云付通钱包');
    const other = await filedAgainst('某某黑平台');
    const cases: [string, unknown, number, Record<string, unknown>][] = [
      [`/api/v1/admin/providers/${slug}/verify`, {}, 400, { field: 'contactSource' }],
      [`/api/v1/admin/providers/${slug}/verify`, { contactSource: '官网', hotline: 'abc' }, 400, { field: 'hotline' }],
      [`/api/v1/admin/providers/${slug}/merge`, {}, 400, { field: 'into' }],
      [`/api/v1/admin/providers/${slug}/merge`, { into: slug }, 400, { code: 'MERGE_SELF', field: 'into' }],
      [
        `/api/v1/admin/providers/${slug}/merge`,
        { into: other.slug },
        400,
        { code: 'MERGE_TARGET_NOT_LISTED', field: 'into' },
      ],
      [`/api/v1/admin/providers/${slug}/merge`, { into: 'no-such-provider' }, 400, { code: 'MERGE_TARGET_UNKNOWN' }],
      [`/api/v1/admin/providers/${slug}/merge`, { into: 'other' }, 400, { code: 'MERGE_TARGET_NOT_LISTED' }],
      ['/api/v1/admin/providers/no-such-provider/merge', { into: 'alipay' }, 404, { code: 'NOT_FOUND' }],
      ['/api/v1/admin/providers/alipay/reject', {}, 409, { code: 'NOT_PENDING' }],
      [`/api/v1/admin/providers/${slug}/reject`, { reason: '长'.repeat(201) }, 400, { field: 'reason' }],
    ];
    for (const [url, payload, status, error] of cases) {
      const res = await who.admin.post(url, payload);
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}: ${res.body}`).toBe(status);
      expect(res.json().error, url).toMatchObject(error);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(statusOfProvider(slug)).toBe('pending');
    // Not an admin: as if the routes did not exist. Without the CSRF token: refused.
    expect((await who.consumer.post(`/api/v1/admin/providers/${slug}/reject`, {})).statusCode).toBe(404);
    expect((await who.consumer.get('/api/v1/admin/providers/pending')).statusCode).toBe(404);
    expect((await who.admin.post(`/api/v1/admin/providers/${slug}/reject`, {}, { csrf: false })).statusCode).toBe(403);
    expect(statusOfProvider(slug)).toBe('pending');
  });
});
