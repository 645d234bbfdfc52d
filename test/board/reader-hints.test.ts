// The case list tells readers what a query cannot do instead of answering with nothing: a page past the search
// window shows the last page that can be reached and says why; reference numbers, long numbers and English words get
// a hint, and a provider's English name leads to that provider's cases. Tables on phones keep their labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn } from '../helpers/lifecycle.ts';
import { searchHints } from '../../server/modules/board/search-hints.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
  const who = await cast(t.app);
  await complaintIn(who, 'forwarded');
});
afterAll(async () => t.close());

describe('paging past the window', () => {
  it('shows the last reachable page with a notice, not 0 个案例 and an error', async () => {
    const res = await t.app.inject({ url: '/cases?page=900' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('id="page-capped"');
    expect(res.body).toContain('最多只能翻到第 500 页');
    expect(res.body).not.toContain('页码应为');
    const bigPages = await t.app.inject({ url: '/cases?page=200&pageSize=100' });
    expect(bigPages.body).toContain('最多只能翻到第 100 页');
  });
  it('still refuses a page that is not a number, beside the field', async () => {
    const res = await t.app.inject({ url: '/cases?page=abc' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('id="page-capped"');
  });
  it('the API keeps its 400 for a page past the window', async () => {
    const res = await t.app.inject({ url: '/api/v1/cases?page=900' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('page');
  });
});

describe('search hints', () => {
  it('says reference numbers are not public', async () => {
    const res = await t.app.inject({ url: `/cases?q=${encodeURIComponent('TS20261102-000001')}` });
    expect(res.body).toContain('data-hint="reference"');
    expect(res.body).toContain('投诉编号不会公开');
  });
  it('says long numbers were removed before publication', async () => {
    const res = await t.app.inject({ url: '/cases?q=2026110122001234567890' });
    expect(res.body).toContain('data-hint="number"');
  });
  it("leads a provider's English name to its cases", async () => {
    const res = await t.app.inject({ url: '/cases?q=Alipay' });
    expect(res.body).toContain('data-hint="latin"');
    expect(res.body.replaceAll('&#x3D;', '=')).toContain('href="/cases?provider=alipay"');
  });
  it('asks for Chinese words when English words find nothing', async () => {
    const res = await t.app.inject({ url: '/cases?q=refund%20delay' });
    expect(res.body).toContain('data-hint="latin"');
    expect(res.body).toContain('请用中文描述问题');
  });
  it('says nothing for an ordinary Chinese query', () => {
    expect(searchHints('退款 冻结', 3, [])).toEqual([]);
    expect(searchHints('', 0, [])).toEqual([]);
  });
  it('matches a spaced English alias', () => {
    const hints = searchHints('wechat pay 冻结', 0, [
      { slug: 'wechat-pay', name: '微信支付', aliases: ['WeChat Pay'] },
    ]);
    expect(hints[0]?.provider?.slug).toBe('wechat-pay');
  });
});

describe('tables on phones', () => {
  it('labels every figure of the provider directory', async () => {
    const html = (await t.app.inject({ url: '/providers' })).body;
    for (const label of ['客服电话', '投诉量', '回复率', '确认解决率']) expect(html).toContain(`data-label="${label}"`);
    const css = (await t.app.inject({ url: '/static/app.css' })).body;
    expect(css).toMatch(/table\.list td\[data-label\]::before\s*\{\s*content: attr\(data-label\)/);
    // The filter panel is a block (its summary on top, the fields in a grid), not a flex row inheriting .filters.
    expect(css).toMatch(/details\.filters \{ display: block;/);
    expect(css).toMatch(/details\.filters \.row \{ display: grid;/);
  });
});
