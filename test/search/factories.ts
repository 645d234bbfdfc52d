// Test data for the search suites: cases built inside each test, with readable Chinese text.
import { aliasesFor } from '../../server/modules/search/provider-aliases.ts';
import type { CaseDoc, SearchHit, SearchIndex, SearchQuery, SearchResult } from '../../server/modules/search/types.ts';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2025, 0, 1);

const NAMES: Record<string, string> = {
  'icbc-wallet': '工商银行数字钱包',
  alipay: '支付宝',
  'wechat-pay': '微信支付',
  ecny: '数字人民币',
  'jd-pay': '京东支付',
};

/** A case; provider name and aliases follow the slug unless given. */
export function caseDoc(id: number, over: Partial<CaseDoc> = {}): CaseDoc {
  const provider = over.provider ?? 'jd-pay';
  return {
    id,
    title: '交易记录有疑问',
    body: '需要平台帮忙核实。',
    provider,
    providerName: NAMES[provider] ?? provider,
    providerAliases: aliasesFor(provider),
    category: 'other',
    status: 'resolved',
    amountFen: 10_000,
    filedAt: T0 + id * DAY,
    overdue: false,
    ...over,
  };
}

export const ids = (r: SearchResult | SearchHit[]): number[] => (Array.isArray(r) ? r : r.items).map((h) => h.id);
export const sortedIds = (r: SearchResult | SearchHit[]): number[] => ids(r).sort((a, b) => a - b);

export const query = (over: Partial<SearchQuery> = {}): SearchQuery => ({
  sort: 'relevance',
  page: 1,
  pageSize: 50,
  facets: true,
  ...over,
});

/** Every id a query matches, across pages. */
export async function allIds(index: SearchIndex, q: Partial<SearchQuery>): Promise<number[]> {
  const out: number[] = [];
  for (let page = 1; ; page++) {
    const r = await index.search(query({ ...q, page, pageSize: 100 }));
    out.push(...ids(r));
    if (r.items.length < 100) return out.sort((a, b) => a - b);
  }
}

export interface IndexHandle {
  index: SearchIndex;
  dispose(): Promise<void>;
}
export type IndexFactory = () => Promise<IndexHandle>;

/** How many items fall under each key (a brute-force facet count). */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
