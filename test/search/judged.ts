// The judged query set: queries a reader types, each with the cases a person judged relevant in JUDGED_CORPUS, run
// against every backend (contract.ts calls it). It checks what the board promises: all words must match; a product
// word finds the cases that say it, not the provider's; a provider's name alone lists its cases, beside other words
// ranks them first without filtering; English aliases name the provider; nonsense says it found nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '../../server/modules/search/segment.ts';
import type { SearchIndex } from '../../server/modules/search/types.ts';
import { allIds, ids, query, type IndexFactory } from './factories.ts';
import { JUDGED_CORPUS } from './judged-corpus.ts';

export interface Judged {
  q: string;
  /** Judged relevant: every one of them is on the first page (20). */
  relevant: number[];
  /** The result set is exactly `relevant`, across pages. */
  only?: boolean;
  /** These come first, in any order among themselves. */
  first?: number[];
  /** Every case on the first page says this word (title or body). */
  mention?: string;
  /** None of these may be returned at all. */
  absent?: number[];
  match?: 'all' | 'partial';
  /** Nothing judged relevant: the answer is empty or says it is partial. */
  nonsense?: boolean;
}

const ALIPAY = [1, 2, 3, 4, 5, 6, 7, 8, 34];
const WECHAT = [9, 10, 11, 12, 13, 14, 29, 30, 31];
const ICBC = [15, 16, 17, 18];
const ECNY = [19, 20, 21, 22];
const FROZEN = [5, 10, 17, 31];

export const JUDGED: Judged[] = [
  // product words: the text, never the whole provider
  { q: '花呗', relevant: [1, 2, 33], only: true, mention: '花呗', absent: [3, 5, 6, 7] },
  { q: '借呗', relevant: [4], only: true, mention: '借呗' },
  { q: '余额宝', relevant: [3], only: true, mention: '余额宝' },
  { q: '零钱通', relevant: [9], only: true, mention: '零钱通', absent: [11, 12] },
  { q: '零钱', relevant: [10, 30], mention: '零钱', absent: [11, 12, 13, 14, 29, 31] },
  // provider names and aliases alone: the provider's cases (and cases whose text names it)
  { q: '数币', relevant: ECNY, first: [20] },
  { q: '数字人民币', relevant: ECNY, first: [19] },
  { q: '工行', relevant: [...ICBC, 30], first: [16, 30] },
  { q: '微信', relevant: WECHAT },
  { q: '支付宝', relevant: [...ALIPAY, 25], first: [5] },
  { q: '蚂蚁', relevant: ALIPAY, first: [34] },
  { q: '云闪付', relevant: [24], only: true },
  // English aliases map to the provider; English words match English text
  { q: 'Alipay', relevant: ALIPAY, first: [8], only: true },
  { q: 'WeChat Pay', relevant: WECHAT, only: true },
  { q: 'ICBC', relevant: ICBC, only: true },
  { q: 'e-CNY', relevant: ECNY, only: true },
  { q: 'refund', relevant: [14], only: true },
  { q: 'top-up', relevant: [22], only: true },
  // two-character words: the word, not its characters apart, not a provider that contains them in its name
  { q: '冻结', relevant: FROZEN, only: true, absent: [27] },
  { q: '退款', relevant: [7, 29], only: true },
  { q: '盗刷', relevant: [13, 15], only: true },
  { q: '余额', relevant: [3, 5, 17, 19, 28], mention: '余额', absent: [1, 2, 4, 6, 7] },
  { q: '钱包', relevant: [15, 16, 20, 21, 28], mention: '钱包', absent: [17, 18, 19] },
  { q: '手续费', relevant: [4, 26], only: true },
  // several words: all must match; a provider named among them ranks its cases first and filters nothing
  { q: '花呗 逾期', relevant: [1], only: true, match: 'all' },
  { q: '冻结 提现', relevant: [5], only: true, match: 'all' },
  { q: '转账 失败', relevant: [11, 24, 30], only: true, match: 'all' },
  { q: '数币 充值', relevant: [20], first: [20], match: 'all' },
  { q: '工行 冻结', relevant: FROZEN, first: [17], only: true, match: 'all' },
  { q: '支付宝 冻结', relevant: FROZEN, first: [5], only: true, match: 'all' },
  { q: 'WeChat 冻结', relevant: FROZEN, first: [10, 31], only: true, match: 'all' },
  { q: '微信 退款', relevant: [7, 29], first: [29], only: true, match: 'all' },
  { q: '花呗 冻结', relevant: [1, 2, 33, ...FROZEN], match: 'partial' },
  // numbers, hotlines, reference numbers (the board looks those up itself: the index has no case by that text)
  { q: '1999', relevant: [32], only: true },
  { q: '5000', relevant: [15], only: true },
  { q: '95017', relevant: [12], only: true },
  { q: 'TS20261122-000123', relevant: [], nonsense: true },
  // nonsense, alone and beside a real word
  { q: '蓝鲸飞船', relevant: [], nonsense: true },
  { q: 'xyzzy', relevant: [], nonsense: true },
  { q: 'qwerty 冻结', relevant: FROZEN, match: 'partial' },
];

const says = (word: string, text: string) => normalize(text).includes(normalize(word));

export function judgedQueries(label: string, factory: IndexFactory): void {
  describe(`${label}: judged query set (${JUDGED.length} queries over ${JUDGED_CORPUS.length} cases)`, () => {
    let index: SearchIndex;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ index, dispose } = await factory());
      await index.upsert(JUDGED_CORPUS);
    });
    afterAll(async () => {
      await dispose();
    });

    it.each(JUDGED.map((j) => [j.q, j] as const))('%s', async (_q, j) => {
      const r = await index.search(query({ q: j.q, pageSize: 20 }));
      const page = ids(r);
      const text = new Map(JUDGED_CORPUS.map((d) => [d.id, `${d.title}\n${d.body}`]));
      if (j.nonsense) {
        expect(r.total === 0 || r.match === 'partial', `${j.q}: total ${r.total}, match ${r.match}`).toBe(true);
        expect(r.unmatched.length).toBeGreaterThan(0);
        return;
      }
      expect(page, 'every judged-relevant case on the first page').toEqual(expect.arrayContaining(j.relevant));
      if (j.match) expect(r.match).toBe(j.match);
      if (j.first)
        expect([...page.slice(0, j.first.length)].sort((a, b) => a - b)).toEqual([...j.first].sort((a, b) => a - b));
      if (j.mention)
        for (const id of page) expect(says(j.mention, text.get(id)!), `case ${id} says ${j.mention}`).toBe(true);
      const every = await allIds(index, { q: j.q });
      if (j.only) expect(every).toEqual([...j.relevant].sort((a, b) => a - b));
      for (const id of j.absent ?? []) expect(every, `case ${id} is not about ${j.q}`).not.toContain(id);
      expect(r.total).toBe(every.length);
    });
  });
}
