// Search through the API: a fixed set of cases and queries with the expected answers (Chinese words, provider aliases,
// filters, sort, highlight, facets, paging), and every bad parameter answered 400 beside its field, never 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { fileComplaint } from '../helpers/factories.ts';
import { actors, type Actors, drain, publishedCase } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Actors;
const ids: Record<string, number> = {};
const refs: Record<string, string> = {};
const CASES: [string, Record<string, unknown>][] = [
  [
    'refund',
    {
      provider: 'alipay',
      category: 'refund-pending',
      title: '支付宝退款一直未到账',
      description: '在拼多多申请退款 569.78 元，商家已同意，支付宝一直显示处理中。',
      amountFen: 56978,
    },
  ],
  [
    'frozen',
    {
      provider: 'wechat-pay',
      category: 'account-frozen',
      title: '零钱被冻结无法提现',
      description: '账户里的余额突然被冻结，客服说存在风险但不说明原因，提交了证明材料也没有结果。',
      amountFen: 230000,
    },
  ],
  [
    'stolen',
    {
      provider: 'icbc-wallet',
      category: 'unauthorized-debit',
      title: '数字钱包被盗刷5000元',
      description: '凌晨收到扣款通知，钱包被盗刷 5000 元，我从未授权过这笔交易。',
      amountFen: 500000,
    },
  ],
  [
    'ecny',
    {
      provider: 'ecny',
      category: 'transaction-failed',
      title: '数字人民币支付失败却扣款',
      description: '在超市用数字人民币付款，页面显示支付失败但余额已经扣款，商户说没收到。',
      amountFen: 12800,
    },
  ],
  [
    'nopw',
    {
      provider: 'alipay',
      category: 'unauthorized-debit',
      title: '免密支付被莫名扣款',
      description: '从未开通过自动续费，每月通过免密支付被扣款 25 元，花呗也被扣过，我完全不知情。',
      amountFen: 2500,
    },
  ],
  [
    'service',
    {
      provider: 'wechat-pay',
      category: 'slow-service',
      title: '人工客服一直打不通',
      description: '拨打客服电话排队半小时没人接，在线客服只有机器人回复，转不到人工。',
      amountFen: 0,
    },
  ],
  [
    'quickpass',
    {
      provider: '云闪付',
      category: 'transaction-failed',
      title: '转账失败资金未退回',
      description: '用云闪付给朋友转账显示失败，钱却没有退回，已经过去一周。',
      amountFen: 88800,
    },
  ],
];

beforeAll(async () => {
  t = await makeApp();
  who = await actors(t);
  for (const [key, input] of CASES) {
    ({ id: ids[key], reference: refs[key] } = await publishedCase(t, who, { demands: ['refund'], ...input }));
    t.clock.advance(24 * 3600_000); // one case a day: newest-first order is the reverse of filing
  }
  await drain(t);
});
afterAll(async () => {
  await t.close();
});

const api = (qs: string) => new Client(t.app).get(`/api/v1/cases${qs}`);
const found = async (qs: string) => {
  const res = await api(qs);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: number }[]).map((h) => h.id);
};

describe('search relevance', () => {
  it.each([
    ['退款', 'refund'],
    ['冻结', 'frozen'],
    ['盗刷', 'stolen'],
    ['免密支付', 'nopw'],
    ['数字人民币', 'ecny'],
    ['云闪付', 'quickpass'],
    ['工行', 'stolen'], // an alias of the provider, not a word of the text
    ['ICBC', 'stolen'],
    ['花呗', 'nopw'], // a product of 支付宝: the case that says it, not every Alipay case
  ])('%s finds the right case first', async (q, key) => {
    const hits = await found(`?q=${encodeURIComponent(q)}`);
    expect(hits[0]).toBe(ids[key]);
    if (q === '花呗') expect(hits).toEqual([ids.nopw]);
  });

  it('a provider named beside other words ranks its cases first and filters nothing', async () => {
    const res = (await api(`?q=${encodeURIComponent('支付宝 扣款')}`)).json();
    expect(res).toMatchObject({ match: 'all', unmatched: [], total: 3 });
    expect(res.items[0].id).toBe(ids.nopw);
    expect(res.items.map((h: { id: number }) => h.id).sort()).toEqual([ids.stolen, ids.ecny, ids.nopw].sort());
  });

  it('a reference number finds its public case, in any width or case, and never a case that is not public', async () => {
    for (const q of [refs.ecny, refs.ecny.toLowerCase(), ` ${refs.ecny.replace('TS', 'ＴＳ')} `]) {
      const res = (await api(`?q=${encodeURIComponent(q)}`)).json();
      expect(res, q).toMatchObject({ total: 1, match: 'all', unmatched: [] });
      expect(res.items.map((h: { id: number }) => h.id)).toEqual([ids.ecny]);
      expect(res.items[0]).toMatchObject({
        provider: 'ecny',
        title: '数字人民币支付失败却扣款',
        filedAt: expect.any(String),
      });
    }
    expect((await api(`?q=${encodeURIComponent(refs.ecny)}&provider=alipay`)).json().total).toBe(0);
    const unpublished = await fileComplaint(who.consumer, {
      provider: 'alipay',
      title: '尚未审核的投诉',
      description: '这件投诉还没有经过平台审核，不应该公开。',
    });
    const res = (await api(`?q=${encodeURIComponent(unpublished.reference)}`)).json();
    expect(res.total).toBe(0);
    expect(res.match).toBe('partial');
  });

  it('a two-character word does not match its characters scattered apart', async () => {
    expect(await found(`?q=${encodeURIComponent('冻结')}`)).toEqual([ids.frozen]);
    expect(await found(`?q=${encodeURIComponent('微信')}`)).toEqual(expect.arrayContaining([ids.frozen, ids.service]));
    expect((await found(`?q=${encodeURIComponent('微信')}`)).length).toBe(2);
  });

  it('combines a term with provider, category, status, date and amount filters', async () => {
    expect(await found(`?q=${encodeURIComponent('扣款')}&provider=alipay`)).toEqual([ids.nopw]);
    expect((await found(`?q=${encodeURIComponent('扣款')}`)).sort()).toEqual([ids.stolen, ids.ecny, ids.nopw].sort());
    expect(await found(`?q=${encodeURIComponent('扣款')}&category=transaction-failed`)).toEqual([ids.ecny]);
    expect(await found('?category=account-frozen')).toEqual([ids.frozen]);
    expect(await found('?amountMin=200000')).toEqual([ids.stolen, ids.frozen]);
    expect(await found('?amountMin=10000&amountMax=60000')).toEqual([ids.ecny, ids.refund]);
    expect(await found('?from=2026-11-03&to=2026-11-04')).toEqual([ids.stolen, ids.frozen]);
    expect(await found('?status=resolved')).toEqual([]);
    expect((await found('?status=forwarded')).length).toBe(7);
  });

  it('sorts newest first without a query, and by relevance or date with one', async () => {
    expect(await found('')).toEqual([...Object.values(ids)].reverse());
    expect(await found(`?q=${encodeURIComponent('扣款')}&sort=newest`)).toEqual([ids.nopw, ids.ecny, ids.stolen]);
  });

  it('highlights the words, counts facets and pages', async () => {
    const res = (await api(`?q=${encodeURIComponent('冻结')}`)).json();
    expect(res.items[0].titleHighlighted).toBe('零钱被<mark>冻结</mark>无法提现');
    expect(res.items[0].snippet).toContain('<mark>冻结</mark>');
    expect(res.items[0]).toMatchObject({
      provider: 'wechat-pay',
      category: 'account-frozen',
      status: 'forwarded',
      amountFen: 230000,
      filedAt: '2026-11-03',
      overdue: false,
    });
    const all = (await api('?pageSize=2&page=2')).json();
    expect(all).toMatchObject({ total: 7, page: 2, pageSize: 2 });
    expect(all.items.map((h: { id: number }) => h.id)).toEqual([ids.nopw, ids.ecny]);
    expect(all.facets.provider).toMatchObject({ alipay: 2, 'wechat-pay': 2, 'icbc-wallet': 1, ecny: 1 });
    expect(all.facets.category['transaction-failed']).toBe(2);
  });

  it('the list page works without JavaScript: GET form, filters, facets, pages', async () => {
    const page = await new Client(t.app).get(`/cases?q=${encodeURIComponent('扣款')}&provider=alipay`, {
      accept: 'text/html',
    });
    expect(page.statusCode).toBe(200);
    const body = page.body.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(body).toContain('<form class="search" method="get" action="/cases"');
    expect(body).toContain('免密支付被莫名<mark>扣款</mark>');
    expect(body).toMatch(/<strong>1<\/strong> 个案例/);
    // Facet links keep the other filters; the active one removes itself.
    expect(body).toContain('href="/cases?q=%E6%89%A3%E6%AC%BE&provider=alipay&category=unauthorized-debit"');
    expect(body).toContain('href="/cases?q=%E6%89%A3%E6%AC%BE" class="active"');
    const paged = (await new Client(t.app).get('/cases?pageSize=3', { accept: 'text/html' })).body
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(paged).toContain('href="/cases?page=2&pageSize=3"');
    expect(paged).toContain('rel="next"');
  });
});

describe('bad parameters', () => {
  it.each([
    [`q=${'退'.repeat(101)}`, 'q'],
    ['q=a&q=b', 'q'],
    ['provider=Not%20A%20Slug', 'provider'],
    ['category=nope', 'category'],
    ['status=submitted', 'status'],
    ['status=withdrawn', 'status'],
    ['status=xyz', 'status'],
    ['from=2026-13-01', 'from'],
    ['to=2026-02-30', 'to'],
    ['from=2026-05-01&to=2026-04-01', 'to'],
    ['amountMin=-5', 'amountMin'],
    ['amountMin=abc', 'amountMin'],
    ['amountMin=500&amountMax=100', 'amountMax'],
    ['amountMax=1.5', 'amountMax'],
    ['sort=best', 'sort'],
    ['page=0', 'page'],
    ['page=x', 'page'],
    ['pageSize=101', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['page=501', 'page'],
    ['page=99999999999', 'page'],
  ])('%s -> 400 on %s', async (qs, field) => {
    const res = await api(`?${qs}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID', field });
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the list page shows the message beside the field, with status 400', async () => {
    const res = await new Client(t.app).get('/cases?from=2026-13-01&minYuan=abc', { accept: 'text/html' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="from-error"');
    expect(res.body).toContain('开始日期格式应为');
    expect(res.body).toContain('id="minYuan-error"');
  });

  it('unknown ids are 404, malformed ones 400 naming the id (the API) or the 404 page (pages), never 500', async () => {
    for (const url of ['/api/v1/cases/999999', '/api/v1/cases/1e5']) {
      expect((await new Client(t.app).get(url)).statusCode, url).toBe(404);
    }
    for (const url of ['/api/v1/cases/abc', '/api/v1/cases/-1/similar']) {
      const res = await new Client(t.app).get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'INVALID', field: 'id' });
    }
    expect((await new Client(t.app).get('/cases/abc', { accept: 'text/html' })).statusCode).toBe(404);
    expect((await new Client(t.app).get('/providers/nobody', { accept: 'text/html' })).statusCode).toBe(404);
  });

  it('similar and preview check their input', async () => {
    const c = new Client(t.app);
    expect((await c.post('/api/v1/similar', {})).json().error.field).toBe('title');
    // (A number would be coerced to its text by fastify's default ajv options; an object cannot be.)
    expect((await c.post('/api/v1/similar', { title: { text: '冻结' } })).statusCode).toBe(400);
    expect((await c.post('/api/v1/preview', { title: '标题' })).json().error.field).toBe('description');
    expect((await c.post('/api/v1/preview', { title: 'x'.repeat(61), description: '内容' })).json().error.field).toBe(
      'title',
    );
    expect((await c.post('/api/v1/similar', { title: '冻结' }, { csrf: false })).statusCode).toBe(403);
  });
});

describe('a query no case answers whole', () => {
  it('says so in the API (match, unmatched) and on the page, in Chinese', async () => {
    const q = encodeURIComponent('冻结 盗刷');
    const res = (await api(`?q=${q}`)).json();
    expect(res).toMatchObject({ match: 'partial', unmatched: [] });
    expect(res.items.map((h: { id: number }) => h.id).sort()).toEqual([ids.frozen, ids.stolen].sort());
    expect((await api(`?q=${encodeURIComponent('冻结 提现')}`)).json()).toMatchObject({ match: 'all', unmatched: [] });
    const page = (await new Client(t.app).get(`/cases?q=${q}`, { accept: 'text/html' })).body;
    expect(page).toContain('没有同时包含「冻结」「盗刷」的案例，以下为部分匹配。');
    const none = (await new Client(t.app).get('/cases?q=xyzzy', { accept: 'text/html' })).body;
    expect(none).toContain('没有任何案例包含「xyzzy」');
    expect(
      (await new Client(t.app).get(`/cases?q=${encodeURIComponent('冻结 提现')}`, { accept: 'text/html' })).body,
    ).not.toContain('部分匹配');
  });
});
