// The Meilisearch adapter against a stand-in HTTP server on 127.0.0.1 that records what the official client sends
// and answers with canned responses. This checks the requests (settings, filter strings, sort, highlight tags,
// retries) and the mapping of answers; whether Meilisearch itself ranks as expected is the contract suite's job
// (meili.test.ts, with MEILI_URL).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MeiliSearchIndex } from '../../server/modules/search/meili-index.ts';
import { POST_TAG, PRE_TAG } from '../../server/modules/search/meili-query.ts';
import { caseDoc, query } from './factories.ts';

interface Recorded {
  method: string;
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded request bodies are JSON of any shape
  body: any;
}

let server: Server;
let url = '';
let requests: Recorded[] = [];
// biome-ignore lint/suspicious/noExplicitAny: canned search answers of any shape
let searchReplies: any[] = [];
let failTasks = false;
let taskUid = 0;

const task = (res: import('node:http').ServerResponse) => {
  res.statusCode = 202;
  res.end(
    JSON.stringify({
      taskUid: ++taskUid,
      indexUid: 'cases',
      status: 'enqueued',
      type: 'x',
      enqueuedAt: new Date().toISOString(),
    }),
  );
};
const hit = (id: number, over: Record<string, unknown> = {}) => ({ ...caseDoc(id), ...over });

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      requests.push({ method: req.method ?? '', path, body: raw ? JSON.parse(raw) : undefined });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && /^\/indexes\/[^/]+$/.test(path)) {
        res.statusCode = 404;
        res.end(
          JSON.stringify({ message: 'Index not found', code: 'index_not_found', type: 'invalid_request', link: '' }),
        );
      } else if (req.method === 'GET' && path.startsWith('/tasks/')) {
        const uid = Number(path.split('/')[2]);
        res.end(
          JSON.stringify(
            failTasks
              ? { uid, status: 'failed', error: { message: 'invalid document id', code: 'invalid_document_id' } }
              : { uid, status: 'succeeded', error: null },
          ),
        );
      } else if (req.method === 'POST' && path.endsWith('/search')) {
        res.end(JSON.stringify(searchReplies.shift() ?? { hits: [], totalHits: 0, facetDistribution: {} }));
      } else if (req.method === 'POST' && path === '/multi-search') {
        res.end(JSON.stringify({ results: searchReplies.shift() ?? [] }));
      } else if (req.method === 'GET' && path.endsWith('/stats')) {
        res.end(JSON.stringify({ numberOfDocuments: 3, isIndexing: false, fieldDistribution: {} }));
      } else task(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
  searchReplies = [];
  failTasks = false;
});

const newIndex = () => new MeiliSearchIndex({ url, indexUid: 'cases', taskTimeoutMs: 2000 });
const searches = () => requests.filter((r) => r.path.endsWith('/search')).map((r) => r.body);

describe('MeiliSearchIndex requests', () => {
  it('init creates the index and applies the settings, waiting for each task', async () => {
    await newIndex().init();
    expect(requests.map((r) => `${r.method} ${r.path.replace(/\/tasks\/\d+/, '/tasks/N')}`)).toEqual([
      'GET /indexes/cases',
      'POST /indexes',
      'GET /tasks/N',
      'PATCH /indexes/cases/settings',
      'GET /tasks/N',
    ]);
    expect(requests[1].body).toEqual({ uid: 'cases', primaryKey: 'id' });
    const settings = requests[3].body;
    expect(settings.searchableAttributes[0]).toBe('title');
    expect(settings.filterableAttributes).toContain('amountFen');
    expect(settings.synonyms.工行).toEqual(['工商银行数字钱包']);
  });

  it('upserts, removes and clears through tasks, and a failed task throws', async () => {
    const index = newIndex();
    await index.upsert([caseDoc(1, { title: `x${PRE_TAG}y` })]);
    const add = requests.find((r) => r.path === '/indexes/cases/documents' && r.method === 'POST');
    expect(add?.body[0]).toMatchObject({ id: 1, title: 'xy' });
    await index.remove([1, 2]);
    expect(requests.find((r) => r.path.endsWith('/documents/delete-batch'))?.body).toEqual([1, 2]);
    await index.clear();
    expect(requests.some((r) => r.method === 'DELETE' && r.path === '/indexes/cases/documents')).toBe(true);
    expect(await index.count()).toBe(3);
    failTasks = true;
    await expect(index.upsert([caseDoc(2)])).rejects.toThrow(/failed: invalid document id/);
  });

  it('translates a query: segmented words, quoted filters, sort, highlight tags', async () => {
    const index = newIndex();
    searchReplies.push(
      { hits: [], totalHits: 0, facetDistribution: {} },
      { hits: [], totalHits: 0, facetDistribution: {} },
    );
    await index.search(
      query({
        q: '冻结 AND "提现"',
        provider: 'a"b',
        from: 10,
        to: 20,
        amountMin: 5,
        sort: 'newest',
        page: 2,
        pageSize: 10,
      }),
    );
    const [first, retry] = searches();
    expect(first).toMatchObject({
      q: '冻结 提现',
      filter: 'provider = "a\\"b" AND filedAt >= 10 AND filedAt < 20 AND amountFen >= 5',
      sort: ['filedAt:desc'],
      page: 2,
      hitsPerPage: 10,
      matchingStrategy: 'all',
      highlightPreTag: PRE_TAG,
      highlightPostTag: POST_TAG,
      facets: ['provider', 'category', 'status'],
    });
    // Nothing had every word: asked again, Meilisearch dropping words from the end.
    expect(retry).toMatchObject({ q: '冻结 提现', matchingStrategy: 'last' });
  });

  it('browses newest first when the query has no words, and never retries a one-word query', async () => {
    const index = newIndex();
    await index.search(query({ q: '，的了' }));
    await index.search(query({ q: '冻结' }));
    const [browse, one, extra] = searches();
    expect(browse).toMatchObject({ q: null, sort: ['filedAt:desc'] });
    expect(one.sort).toBeUndefined();
    expect(extra).toBeUndefined();
  });

  it('maps hits with escaped highlights, and totals past maxTotalHits from the status facet', async () => {
    const index = newIndex();
    searchReplies.push({
      hits: [
        hit(7, {
          title: '<b>账户冻结</b>',
          _formatted: { title: `<b>账户${PRE_TAG}冻结${POST_TAG}</b>`, body: `<script>${PRE_TAG}冻结${POST_TAG}` },
        }),
      ],
      totalHits: 10_000,
      facetDistribution: {
        provider: { alipay: 6000, ecny: 6000 },
        status: { resolved: 9000, closed_unresolved: 3000 },
      },
    });
    const r = await index.search(query({ q: '冻结', facets: true }));
    expect(r.total).toBe(12_000);
    expect(r.items[0]).toMatchObject({
      id: 7,
      titleHighlighted: '&lt;b&gt;账户<mark>冻结</mark>&lt;/b&gt;',
      snippet: '&lt;script&gt;<mark>冻结</mark>',
    });
    expect(r.facets.provider).toEqual({ alipay: 6000, ecny: 6000 });
    searchReplies.push({ hits: [], totalHits: 4, facetDistribution: { provider: { alipay: 4 } } });
    expect((await index.search(query({ facets: false }))).facets).toEqual({ provider: {}, category: {}, status: {} });
  });

  it("a provider named beside other words: its cases first, then everyone else's, the page cut across both", async () => {
    const index = newIndex();
    searchReplies.push(
      {
        hits: [hit(1, { provider: 'icbc-wallet' })],
        estimatedTotalHits: 3,
        facetDistribution: { provider: { 'icbc-wallet': 3 }, status: { resolved: 3 } },
      },
      {
        hits: [hit(2), hit(3)],
        estimatedTotalHits: 5,
        facetDistribution: { provider: { alipay: 5 }, status: { resolved: 4, closed_unresolved: 1 } },
      },
    );
    const r = await index.search(query({ q: '工行 冻结', page: 2, pageSize: 2 }));
    const [named, others] = searches();
    expect(named).toMatchObject({
      q: '冻结',
      filter: 'provider IN ["icbc-wallet"]',
      offset: 2,
      limit: 2,
      matchingStrategy: 'all',
    });
    expect(others).toMatchObject({ q: '冻结', filter: 'provider NOT IN ["icbc-wallet"]', offset: 0, limit: 1 });
    expect(named.page).toBeUndefined();
    expect(r).toMatchObject({
      total: 8,
      match: 'all',
      facets: { provider: { 'icbc-wallet': 3, alipay: 5 }, status: { resolved: 7, closed_unresolved: 1 } },
    });
    expect(r.items.map((h) => h.id)).toEqual([1, 2, 3]);
    // Sorted by date, a provider's name boosts nothing: it is left out of the words.
    await index.search(query({ q: '工行 冻结', sort: 'newest' }));
    expect(searches()[2]).toMatchObject({ q: '冻结', sort: ['filedAt:desc'] });
    expect(searches()[2].filter).toBeUndefined();
  });

  it('similar: two pools in one multi-search, excluding the draft, raised for same provider and category', async () => {
    const index = newIndex();
    searchReplies.push([
      {
        hits: [
          hit(1, { provider: 'wechat-pay', _rankingScore: 0.9 }),
          hit(2, { provider: 'alipay', category: 'other', _rankingScore: 0.8 }),
        ],
      },
      { hits: [hit(3, { provider: 'alipay', category: 'refund-pending', _rankingScore: 0.6 })] },
    ]);
    const similar = await index.similar(
      { provider: 'alipay', category: 'refund-pending', title: '退款未到账', body: '商家已同意退款', excludeId: 9 },
      3,
    );
    const body = requests.find((r) => r.path === '/multi-search')?.body;
    expect(body.queries[0]).toMatchObject({ indexUid: 'cases', matchingStrategy: 'frequency', filter: 'id != 9' });
    expect(body.queries[1].filter).toBe('provider = "alipay" AND category = "refund-pending" AND id != 9');
    expect(body.queries[0].q.split(' ')).toEqual(expect.arrayContaining(['退款', '未到账', '商家', '同意']));
    // 2: 0.8 × 1.5 = 1.2; 3: 0.6 × 1.75 = 1.05; 1: 0.9
    expect(similar.map((h) => h.id)).toEqual([2, 3, 1]);
  });
});
