// Open data: CSV (BOM, header, quoting, formula-safe cells; the whole board as a file, the same filters as the list
// streamed), RSS 2.0 (well-formed, escaped), the OpenAPI description covering every /api/v1 route, and the docs page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml2js, type ElementCompact } from 'xml-js';
import { fileApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { parseCsv } from './helpers.ts';
import { actors, type Actors, drain, publishedCase } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Actors;
let tricky: number;
let plain: number;

beforeAll(async () => {
  t = await fileApp();
  who = await actors(t);
  tricky = (
    await publishedCase(
      t,
      who,
      {
        title: '=HYPERLINK("http://x") 退款"引号",逗号',
        description:
          '描述里有 <script>alert(1)</script> & 符号、"双引号"、逗号,以及\n换行。退款 300 元没有到账，客服一直让我等待处理结果。',
      },
      { reply: '回复 <b>加粗</b> & ]]> 结尾' },
    )
  ).id;
  plain = (
    await publishedCase(t, who, {
      provider: 'wechat-pay',
      category: 'account-frozen',
      title: '微信零钱冻结无法提现',
      description: '微信零钱被冻结了，客服说账户有风险，但一直不说明原因。',
      amountFen: 230050,
    })
  ).id;
  await drain(t);
  await t.app.openData.files!.rebuild(); // the unfiltered CSV is the whole-board file
});
afterAll(async () => {
  await t.close();
});

describe('CSV export', () => {
  it('is UTF-8 with a BOM, quoted where needed, safe against spreadsheet formulas, one row per case', async () => {
    const res = await new Client(t.app).get('/api/v1/cases.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(rows[0].slice(0, 5)).toEqual(['id', 'url', 'filedAt', 'provider', 'providerName']);
    expect(rows).toHaveLength(3);
    const byId = new Map(
      rows.slice(1).map((r) => [Number(r[0]), Object.fromEntries(rows[0].map((k, i) => [k, r[i]]))]),
    );
    const t1 = byId.get(tricky)!;
    expect(t1.title).toBe('\'=HYPERLINK("http://x") 退款"引号",逗号');
    expect(t1.description).toContain('<script>alert(1)</script> & 符号、"双引号"、逗号,以及\n换行');
    expect(t1.url).toBe(`http://localhost:3000/cases/${tricky}`);
    expect(byId.get(plain)).toMatchObject({
      provider: 'wechat-pay',
      amountFen: '230050',
      category: 'account-frozen',
      filedAt: '2026-11-02',
    });
  });

  it('takes the same filters as the list', async () => {
    const anon = new Client(t.app);
    const ids = async (qs: string) =>
      parseCsv((await anon.get(`/api/v1/cases.csv${qs}`)).body.replace(/^\uFEFF/, ''))
        .slice(1)
        .map((r) => Number(r[0]));
    expect(await ids('?provider=wechat-pay')).toEqual([plain]);
    expect(await ids('?q=冻结')).toEqual([plain]);
    expect(await ids('?amountMin=100000')).toEqual([plain]);
    expect(await ids('?category=refund-pending')).toEqual([tricky]);
    expect(await ids('?from=2026-11-03')).toEqual([]);
    const bad = await anon.get('/api/v1/cases.csv?amountMin=-1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('amountMin');
  });
});

describe('RSS feed', () => {
  it('is RSS 2.0 that an XML parser reads back: one item per case, the texts as they were, the description escaped HTML', async () => {
    const res = await new Client(t.app).get('/feeds/cases.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const xml = res.body;
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<rss version="2.0"/);
    expect(xml).not.toContain('<script>');
    // xml-js parses with sax in strict mode: a malformed feed throws here.
    const doc = xml2js(xml, { compact: true }) as ElementCompact;
    const channel = doc.rss.channel;
    expect(channel.title._text).toBe('钱包投诉台 · 最新公开投诉');
    expect(channel.language._text).toBe('zh-CN');
    expect(channel['atom:link']._attributes).toMatchObject({
      href: 'http://localhost:3000/feeds/cases.xml',
      rel: 'self',
    });
    const items = [channel.item].flat() as ElementCompact[];
    expect(items).toHaveLength(2);
    const byLink = new Map(items.map((i) => [i.link._text as string, i]));
    const item = byLink.get(`http://localhost:3000/cases/${tricky}`)!;
    expect(item.title._cdata).toBe('=HYPERLINK("http://x") 退款"引号",逗号（支付宝 · 处理中）');
    expect(item.guid).toMatchObject({
      _text: `http://localhost:3000/cases/${tricky}`,
      _attributes: { isPermaLink: 'true' },
    });
    expect(item.pubDate._text).toBe('Sun, 01 Nov 2026 16:00:00 GMT'); // 2026-11-02 00:00 China time
    expect(item.category._text).toBe('退款未处理');
    const description = item.description._cdata as string;
    expect(description).toContain(
      '描述里有 &lt;script&gt;alert(1)&lt;/script&gt; &amp; 符号、&quot;双引号&quot;、逗号,以及<br>换行。',
    );
    expect(byLink.has(`http://localhost:3000/cases/${plain}`)).toBe(true);
  });

  it('filters by provider and by search', async () => {
    const anon = new Client(t.app);
    const items = async (qs: string) => ((await anon.get(`/feeds/cases.xml${qs}`)).body.match(/<item>/g) ?? []).length;
    expect(await items('?provider=wechat-pay')).toBe(1);
    expect(await items('?q=冻结')).toBe(1);
    expect(await items('?provider=alipay&q=冻结')).toBe(0);
    expect((await anon.get('/feeds/cases.xml?provider=wechat-pay')).body).toContain(
      '<title>钱包投诉台 · 微信支付 的公开投诉</title>',
    );
    expect((await anon.get('/feeds/cases.xml?provider=BAD!')).statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('is the generated document: the downloads with their media types and headers (test/schemas/coverage.test.ts checks every route is in it)', async () => {
    const res = await new Client(t.app).get('/api/v1/openapi.json');
    expect(res.headers['content-type']).toContain('application/json');
    const spec = res.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.components.schemas.ApiError).toBeTruthy();
    expect(spec.paths['/api/v1/cases/{id}/similar'].get).toMatchObject({
      tags: ['公开案例'],
      summary: '与该案例相似的公开案例及处理结果统计',
    });
    // Only the API and the downloads: pages declare schemas too, but they are not an API.
    expect(Object.keys(spec.paths).every((p) => p.startsWith('/api/v1/') || p.startsWith('/downloads/'))).toBe(true);
    const csv = spec.paths['/downloads/cases.csv'].get.responses['200'];
    expect(Object.keys(csv.content)).toEqual(['text/csv']);
    expect(csv.headers['X-Export-Built-At'].description).toBe('生成时间（ISO 8601）');
    expect(spec.paths['/api/v1/cases.csv'].get.description).toContain('X-Export-Truncated');
  });

  it('has a readable docs page', async () => {
    const res = await new Client(t.app).get('/api/docs', { accept: 'text/html' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('/api/v1/cases/{id}/similar');
    expect(res.body).toContain('/api/v1/openapi.json');
    // Fields come from the schemas, with their Chinese labels.
    expect(res.body).toContain('<code>pageSize</code>');
    expect(res.body).toContain('每页条数');
  });
});
