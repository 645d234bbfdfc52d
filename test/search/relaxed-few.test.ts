// Relaxed queries of two or three words that no case has all of, answered from subset queries (relaxed-few.ts): the
// same total, facets and pages as the pass over every matching case (execute.ts's 'any' mode), which stays the
// reference here, over boards where pairs of the words meet and all three never do.
import { afterEach, describe, expect, it } from 'vitest';
import { execute } from '../../server/modules/search/sqlite/execute.ts';
import { filtersFor } from '../../server/modules/search/sqlite/filters.ts';
import { planTerm } from '../../server/modules/search/sqlite/plan-term.ts';
import { relaxedFew } from '../../server/modules/search/sqlite/relaxed-few.ts';
import type { ColumnStore } from '../../server/modules/search/sqlite/columns.ts';
import type { PostingCache } from '../../server/modules/search/sqlite/postings.ts';
import type { SearchQuery } from '../../server/modules/search/types.ts';
import { DAY, T0, caseDoc, ids, query } from './factories.ts';
import { plainAndFast } from './memory-index.ts';

/** A board where 余额, 转出 and 冻结 meet in pairs but never all three, with titles, bodies of many lengths, provider
 *  names in the text (alias weight), same-day cases (ties on time) and cases of none of the words. */
function board(n: number) {
  let seed = 7;
  const rand = (m: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  const words = ['余额', '转出', '冻结'];
  return Array.from({ length: n }, (_, i) => {
    const id = i + 1;
    const has = words.filter(() => rand(3) === 0);
    if (has.length === 3) has.pop();
    const inTitle = has.filter(() => rand(2) === 0);
    const inBody = has.filter((w) => !inTitle.includes(w) || rand(2) === 0);
    return caseDoc(id, {
      title: `${inTitle.join('')}问题${['', '工行'][rand(2)]}`,
      body: `${inBody.join('，')}${'情况说明。'.repeat(1 + rand(12))}`,
      provider: ['alipay', 'wechat-pay', 'icbc-wallet', 'ecny'][rand(4)],
      category: ['refund-pending', 'account-frozen', 'other'][rand(3)],
      status: ['resolved', 'responded', 'closed_unresolved'][rand(3)],
      amountFen: 1_000 * (1 + rand(50)),
      filedAt: T0 + Math.floor(id / 3) * DAY, // three cases a day: ties on time
    });
  });
}

const QUERIES: Partial<SearchQuery>[] = [
  {},
  { provider: 'alipay' },
  { category: 'account-frozen', status: 'resolved' },
  { from: T0 + 50 * DAY, to: T0 + 200 * DAY },
  { amountMin: 10_000, amountMax: 30_000 },
  { pageSize: 5 },
  { page: 3, pageSize: 7 },
  { facets: false },
];

describe('relaxed queries of a few words none has together', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });

  it('answer as the pass over every matching case does, for each sort, filter and page', async () => {
    const { plain, fast } = await plainAndFast(cleanups);
    const docs = board(900);
    let compared = 0;
    for (const { index } of [plain, fast]) {
      await index.upsert(docs);
      const { store, cache } = index as unknown as { store: ColumnStore; cache: PostingCache };
      for (const words of [
        ['余额', '转出', '冻结'],
        ['余额', '工行', '冻结'], // a provider's name among them (alias weight in bodies and titles)
        ['余额', '蓝鲸'], // a word no case has
      ])
        for (const over of QUERIES)
          for (const sort of ['relevance', 'newest'] as const) {
            const q = query({ ...over, sort });
            const f = filtersFor(store, q);
            const terms = words.map((w) => planTerm(store, cache, w));
            const k = q.page * q.pageSize;
            const ex = { sort, k, facets: q.facets === true, terms, boost: null };
            expect(execute(store, { ...ex, mode: 'all' }, f).total).toBe(0);
            const want = execute(store, { ...ex, mode: 'any' }, f);
            const got = relaxedFew(store, { ...ex, mode: 'any' }, f);
            const label = JSON.stringify({ words, q });
            expect(got.total, label).toBe(want.total);
            expect(got.ords, label).toEqual(want.ords);
            expect([...got.provider, ...got.category, ...got.status], label).toEqual([
              ...want.provider,
              ...want.category,
              ...want.status,
            ]);
            if (want.total > k) compared++;
          }
    }
    expect(compared).toBeGreaterThan(40); // most comparisons had more matches than the page holds
  });

  it('a pair of the words that meets only outside the filters still counts once per case', async () => {
    // 余额 and 转出 meet only in closed cases: under status=responded no case has both, and the subset queries must not
    // count what the filter left out.
    const { plain, fast } = await plainAndFast(cleanups);
    const docs = Array.from({ length: 120 }, (_, i) =>
      caseDoc(i + 1, {
        title: ['余额不足', '转出失败', '余额转出失败'][i % 3],
        status: i % 3 === 2 ? 'closed_unresolved' : 'responded',
      }),
    );
    for (const { index } of [plain, fast]) {
      await index.upsert(docs);
      const r = await index.search(query({ q: '余额 转出', status: 'responded', pageSize: 100 }));
      expect(r).toMatchObject({ match: 'partial', total: 80 });
      expect(ids(r)).toHaveLength(80);
      expect(r.facets?.status).toEqual({ responded: 80 });
      const both = await index.search(query({ q: '余额 转出' }));
      expect(both).toMatchObject({ match: 'all', total: 40 });
    }
  });
});
