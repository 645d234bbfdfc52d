// The search contract on the SQLite backend (always), plus what only this backend has: reading its tables back on
// a second handle, seeing another connection's writes, and keeping cached doclists exact across writes.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteSearchIndex } from '../../server/modules/search/sqlite-index.ts';
import { MAX_RESULT_WINDOW, type SearchQuery } from '../../server/modules/search/types.ts';
import { searchContract } from './contract.ts';
import { memoryIndex, plainAndFast } from './memory-index.ts';
import { DAY, T0, caseDoc, countBy, ids, query, sortedIds } from './factories.ts';

searchContract('sqlite', memoryIndex);
// The same contract with every similar() scored in the similar-cases thread (a large board's drafts go there).
searchContract('sqlite, similar() in its thread', () => memoryIndex({ similar: { minEntries: 0 } }));

describe('sqlite search index', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });

  it('keeps cached doclists exact across inserts, replacements and removals', async () => {
    // A low bitset threshold, so that 退款 takes the one-word fast path (count cube + time walk).
    const { index, dispose } = await memoryIndex({ bitsetMinDocs: 100 });
    cleanups.push(() => void dispose());
    await index.upsert(
      Array.from({ length: 5000 }, (_, i) =>
        caseDoc(i + 1, {
          title: i % 2 ? '退款没有到账' : '账户被冻结',
          body: i % 3 ? '客服不回复。' : '申请退款被拒绝。',
          provider: i % 4 ? 'alipay' : 'wechat-pay',
          filedAt: T0 + i * 60_000,
        }),
      ),
    );
    const before = await index.search(query({ q: '退款', provider: 'alipay' }));
    await index.upsert([caseDoc(9001, { title: '退款问题', provider: 'alipay', filedAt: T0 + 400 * DAY })]);
    const afterInsert = await index.search(query({ q: '退款', provider: 'alipay', sort: 'relevance' }));
    expect(afterInsert.total).toBe(before.total + 1);
    expect(afterInsert.items[0].id).toBe(9001);
    await index.upsert([caseDoc(9001, { title: '账户冻结', provider: 'alipay', filedAt: T0 + 400 * DAY })]);
    expect((await index.search(query({ q: '退款', provider: 'alipay' }))).total).toBe(before.total);
    await index.remove([2]); // title 退款, alipay
    const afterRemove = await index.search(query({ q: '退款', provider: 'alipay', sort: 'newest' }));
    expect(afterRemove.total).toBe(before.total - 1);
    expect(ids(afterRemove)).not.toContain(2);
    expect(afterRemove.facets.provider).toEqual({ alipay: before.total - 1 });
  });

  it('a second index on the same database reads what the first wrote', async () => {
    const { index, db } = await memoryIndex();
    await index.upsert([caseDoc(1, { title: '账户冻结' }), caseDoc(2, { title: '退款未到账' })]);
    const second = new SqliteSearchIndex(db);
    await second.init();
    expect(await second.count()).toBe(2);
    expect(ids(await second.search(query({ q: '冻结' })))).toEqual([1]);
    db.close();
  });

  it('the fast paths (bitsets, count cubes, time walk) give exactly what the plain loops give', async () => {
    const docs = Array.from({ length: 3000 }, (_, i) =>
      caseDoc(i + 1, {
        title: ['退款没有到账', '账户冻结', '客服不回复', '支付宝退款'][i % 4],
        body: i % 5 ? '钱一直没有退回，客服说冻结了。' : '申请退款被驳回。',
        provider: ['alipay', 'wechat-pay', 'ecny'][i % 3],
        status: ['resolved', 'closed_unresolved'][i % 2],
        filedAt: T0 + ((i * 7919) % 3000) * 3_600_000 + (i % 7 === 0 ? 0 : 1),
      }),
    );
    const plain = await memoryIndex({ bitsetMinDocs: 1_000_000 });
    const fast = await memoryIndex({ bitsetMinDocs: 50 });
    const warmed = await memoryIndex({ bitsetMinDocs: 50 });
    cleanups.push(
      () => void plain.dispose(),
      () => void fast.dispose(),
      () => void warmed.dispose(),
    );
    // warmed: doclists read ahead of any query, then kept up to date through later writes
    await warmed.index.warm(0);
    for (const { index } of [plain, fast, warmed]) {
      await index.upsert(docs.slice(0, 2000));
      await warmed.index.warm(0);
      await index.upsert(docs.slice(2000));
      await index.remove([5, 6, 7]);
    }
    // A word's idf counts the live cases on its list: the warmed index read its lists before the removals above and
    // still holds their ords, the others read them after (plan-term.ts liveCount).
    const compare = async (reference = plain) => {
      // Several common words: the rarer one's list probed against the others' bitsets (plain) or the bitsets ANDed
      // a word at a time (multi-term.ts, allTermsByBits); a provider's name beside them raises its cases instead.
      for (const q of [
        '退款',
        '冻结',
        '客服',
        '支付宝',
        '退款 冻结',
        '客服 冻结',
        '冻结 退款 客服',
        '支付宝 冻结', // the raised provider's title hits fill the page (term-walk.ts raisedTermWalk)
        '工行 冻结', // a raised provider with no cases here: the loop over the list
        '微信 支付宝 冻结', // two raised providers: the loop
        '微信',
      ]) {
        for (const sort of ['relevance', 'newest'] as const) {
          for (const filter of [
            {},
            { provider: 'alipay' },
            { status: 'resolved' },
            { provider: 'ecny', status: 'closed_unresolved' },
            { from: T0 + 400 * 3_600_000, to: T0 + 2200 * 3_600_000 },
          ]) {
            for (const page of [1, 3]) {
              const args = query({ q, sort, page, pageSize: 20, ...filter });
              const a = await reference.index.search(args);
              for (const other of [plain, fast, warmed].filter((x) => x !== reference)) {
                const b = await other.index.search(args);
                expect(ids(b), JSON.stringify(args)).toEqual(ids(a));
                expect(b.total).toBe(a.total);
                expect(b.facets).toEqual(a.facets);
              }
            }
          }
        }
      }
    };
    await compare();
    // More removals and replacements after every list was read: the live counts catch up through the kill log, and
    // agree with an index that read its lists only after all the writes.
    const fresh = await memoryIndex({ bitsetMinDocs: 50 });
    cleanups.push(() => void fresh.dispose());
    const later = async (index: typeof plain.index) => {
      await index.remove([11, 12, 13, 14]);
      await index.upsert(docs.slice(100, 160).map((d) => ({ ...d, status: 'responded' })));
    };
    for (const { index } of [plain, fast, warmed]) await later(index);
    await fresh.index.upsert(docs.slice(0, 2000));
    await fresh.index.upsert(docs.slice(2000));
    await fresh.index.remove([5, 6, 7]);
    await later(fresh.index);
    await compare(fresh);
  });

  it('count cubes built before status changes, replacements and removals stay exact (kill log catch-up)', async () => {
    const doc = (i: number, round: number) =>
      caseDoc(i, {
        title: ['退款没有到账', '账户冻结', '客服不回复', '支付宝退款'][(i + round) % 4],
        body: i % 5 ? '钱一直没有退回，客服说冻结了。' : '申请退款被驳回。',
        provider: ['alipay', 'wechat-pay', 'ecny'][(i + round) % 3],
        status: ['resolved', 'closed_unresolved', 'awaiting_response'][(i * (round + 1)) % 3],
        filedAt: T0 + i * 3_600_000,
      });
    const { plain, fast } = await plainAndFast(cleanups);
    const compare = async () => {
      for (const q of ['退款', '冻结', '客服', '支付宝'])
        for (const filter of [{}, { provider: 'alipay' }, { status: 'resolved' }, { status: 'awaiting_response' }]) {
          const args = query({ q, sort: 'newest', pageSize: 10, ...filter });
          const [a, b] = [await plain.index.search(args), await fast.index.search(args)];
          expect(b.total, JSON.stringify(args)).toBe(a.total);
          expect(b.facets, JSON.stringify(args)).toEqual(a.facets);
          expect(ids(b)).toEqual(ids(a));
        }
    };
    for (const { index } of [plain, fast]) await index.upsert(Array.from({ length: 2000 }, (_, i) => doc(i + 1, 0)));
    await compare(); // the cubes exist from here on
    for (let round = 1; round <= 6; round++) {
      // A few cases change status, provider or words (a replacement kills the old entry), and a few are taken down.
      const changed = Array.from({ length: 7 }, (_, k) => doc(((round * 211 + k * 37) % 2000) + 1, round));
      const removed = [((round * 97) % 2000) + 1, ((round * 389) % 2000) + 1];
      for (const { index } of [plain, fast]) {
        await index.upsert(changed);
        await index.remove(removed);
      }
      await compare();
    }
  });

  it('amount and date ranges without words agree with brute force after removals and additions', async () => {
    const { index, dispose } = await memoryIndex();
    cleanups.push(() => void dispose());
    const make = (i: number) =>
      caseDoc(i, {
        title: '交易异常',
        body: '请核实。',
        provider: ['alipay', 'wechat-pay', 'ecny'][i % 3],
        status: ['resolved', 'closed_unresolved'][i % 2],
        amountFen: (i * 7919) % 1_000_000,
        filedAt: T0 + ((i * 104_729) % 20_000) * 60_000,
      });
    let docs = Array.from({ length: 12_000 }, (_, i) => make(i + 1));
    await index.upsert(docs);
    const check = async () => {
      for (const q of [
        { amountMin: 100_000, amountMax: 700_000 },
        { amountMin: 100_000, amountMax: 700_000, provider: 'ecny' },
        { amountMax: 5 },
        { amountMin: 999_000 },
        { amountMin: 0, from: T0 + 3000 * 60_000, to: T0 + 9000 * 60_000, status: 'resolved' },
      ]) {
        const r = await index.search(query({ ...q, pageSize: 10 }));
        const hit = docs.filter(
          (d) =>
            d.amountFen >= (q.amountMin ?? -Infinity) &&
            d.amountFen <= (q.amountMax ?? Infinity) &&
            (!('provider' in q) || d.provider === q.provider) &&
            (!('status' in q) || d.status === q.status) &&
            d.filedAt >= ((q as { from?: number }).from ?? -Infinity) &&
            d.filedAt < ((q as { to?: number }).to ?? Infinity),
        );
        expect(r.total, JSON.stringify(q)).toBe(hit.length);
        expect(r.facets.status, JSON.stringify(q)).toEqual(countBy(hit, (d) => d.status));
        expect(
          r.items.map((h) => h.filedAt),
          JSON.stringify(q),
        ).toEqual(
          hit
            .sort((a, b) => b.filedAt - a.filedAt || b.id - a.id)
            .slice(0, 10)
            .map((d) => d.filedAt),
        );
      }
    };
    await check(); // builds the time and amount orders
    const removed = new Set(Array.from({ length: 500 }, (_, i) => i * 17 + 3));
    await index.remove([...removed]);
    const added = Array.from({ length: 150 }, (_, i) => make(20_000 + i));
    await index.upsert(added);
    docs = [...docs.filter((d) => !removed.has(d.id)), ...added];
    await check();
  });

  it("sees another connection's writes on its next call", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'search-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const open = () => {
      const db = new Database(join(dir, 'x.db'));
      db.pragma('journal_mode = WAL');
      return db;
    };
    const [dbA, dbB] = [open(), open()];
    cleanups.push(() => {
      dbA.close();
      dbB.close();
    });
    const writer = new SqliteSearchIndex(dbA);
    await writer.init();
    const reader = new SqliteSearchIndex(dbB);
    await reader.init();
    expect(await reader.count()).toBe(0);
    await writer.upsert([caseDoc(1, { title: '账户冻结' }), caseDoc(2, { title: '账户冻结了', provider: 'alipay' })]);
    expect(sortedIds(await reader.search(query({ q: '冻结' })))).toEqual([1, 2]); // caches 冻结's doclist
    await writer.remove([1]);
    expect(await reader.count()).toBe(1);
    expect(ids(await reader.search(query({ q: '冻结' })))).toEqual([2]);
    // A replacement there, then a write here: both sides agree, and the reader's own ords follow the writer's.
    await writer.upsert([
      caseDoc(2, { title: '退款未到账', provider: 'wechat-pay' }),
      caseDoc(3, { title: '账户冻结' }),
    ]);
    await reader.upsert([caseDoc(4, { title: '冻结资金' })]);
    for (const side of [reader, writer]) {
      expect(sortedIds(await side.search(query({ q: '冻结' })))).toEqual([3, 4]);
      expect((await side.search(query({ q: '退款' }))).facets.provider).toEqual({ 'wechat-pay': 1 });
      expect(await side.count()).toBe(3);
    }
    await writer.clear();
    expect(await reader.count()).toBe(0);
    await writer.upsert([caseDoc(5, { title: '账户冻结' })]);
    expect(ids(await reader.search(query({ q: '冻结' })))).toEqual([5]);
  });

  it('matches a long word through its parts when no case contains it whole', async () => {
    const { index, dispose } = await memoryIndex();
    cleanups.push(() => void dispose());
    await index.upsert([caseDoc(1, { title: '中国的工商银行卡被冻结' }), caseDoc(2, { title: '建设银行卡被冻结' })]);
    expect(sortedIds(await index.search(query({ q: '中国工商银行' })))).toEqual([1]);
  });

  it('pages past the result window come back empty with the total intact', async () => {
    const { index, dispose } = await memoryIndex();
    cleanups.push(() => void dispose());
    await index.upsert([caseDoc(1, { title: '账户冻结' })]);
    const r = await index.search(query({ q: '冻结', page: MAX_RESULT_WINDOW + 1, pageSize: 1 }));
    expect(r.total).toBe(1);
    expect(r.items).toEqual([]);
  });

  it.each([
    ['scanning', 1_000_000],
    ['bitsets, cubes and walks', 100],
  ])('large result sets (%s): totals, facets and order match brute force', async (_, bitsetMinDocs) => {
    const { index, dispose } = await memoryIndex({ bitsetMinDocs });
    cleanups.push(() => void dispose());
    const docs = Array.from({ length: 6000 }, (_, i) =>
      caseDoc(i + 1, {
        title: ['退款没有到账', '账户冻结', '客服不回复'][i % 3],
        body: i % 5 ? '钱一直没有退回。' : '申请退款被驳回。',
        provider: ['alipay', 'wechat-pay', 'ecny', 'jd-pay'][i % 4],
        category: ['refund-pending', 'account-frozen'][i % 2],
        status: ['resolved', 'closed_unresolved', 'closed_unconfirmed'][(i % 7) % 3],
        amountFen: (i * 37) % 50_000,
        filedAt: T0 + ((i * 7919) % 6000) * 3_600_000,
      }),
    );
    await index.upsert(docs);
    const has = (d: (typeof docs)[number]) => `${d.title}${d.body}`.includes('退款');
    const cases: [Partial<SearchQuery>, (d: (typeof docs)[number]) => boolean][] = [
      [{ q: '退款' }, has],
      [{ q: '退款', sort: 'newest' }, has],
      [{ q: '退款', provider: 'alipay' }, (d) => has(d) && d.provider === 'alipay'],
      [{ q: '退款', amountMin: 10_000 }, (d) => has(d) && d.amountFen >= 10_000],
      [{ provider: 'ecny', status: 'resolved' }, (d) => d.provider === 'ecny' && d.status === 'resolved'],
      [
        { from: T0 + 100 * 3_600_000, to: T0 + 900 * 3_600_000 },
        (d) => d.filedAt >= T0 + 100 * 3_600_000 && d.filedAt < T0 + 900 * 3_600_000,
      ],
      [
        { amountMin: 1000, amountMax: 20_000, category: 'account-frozen' },
        (d) => d.amountFen >= 1000 && d.amountFen <= 20_000 && d.category === 'account-frozen',
      ],
    ];
    for (const [q, pred] of cases) {
      const r = await index.search(query({ ...q, pageSize: 20 }));
      const matched = docs.filter(pred);
      expect(r.total, JSON.stringify(q)).toBe(matched.length);
      const byProvider = countBy(matched, (d) => d.provider);
      expect(r.facets.provider, JSON.stringify(q)).toEqual(byProvider);
      if (q.sort === 'newest' || !q.q) {
        const newest = matched
          .sort((a, b) => b.filedAt - a.filedAt || b.id - a.id)
          .slice(0, 20)
          .map((d) => d.filedAt);
        expect(
          r.items.map((h) => h.filedAt),
          JSON.stringify(q),
        ).toEqual(newest);
      }
    }
  });
});

describe('provider words beside other words (boost, not filter)', () => {
  it('at scale, on the fast paths and the plain loops: totals and facets of the other words, the provider first', async () => {
    for (const bitsetMinDocs of [100, 1_000_000]) {
      const { index, dispose } = await memoryIndex({ bitsetMinDocs });
      const providers = ['alipay', 'wechat-pay', 'icbc-wallet', 'ecny'];
      const docs = Array.from({ length: 3000 }, (_, i) =>
        caseDoc(i + 1, {
          provider: providers[i % 4],
          title: i % 3 ? '退款没有到账' : '账户冻结',
          body: i % 5 ? '客服不回复。' : '申请退款被拒绝，花呗也被扣了。',
          filedAt: T0 + ((i * 7919) % 3000) * 60_000,
        }),
      );
      await index.upsert(docs);
      const refunds = docs.filter((d) => `${d.title}${d.body}`.includes('退款'));
      const boosted = await index.search(query({ q: '工行 退款', pageSize: 50 }));
      expect(boosted).toMatchObject({ total: refunds.length, match: 'all', unmatched: [] });
      expect(boosted.facets.provider).toEqual(countBy(refunds, (d) => d.provider));
      expect(boosted.items.every((h) => h.provider === 'icbc-wallet')).toBe(true);
      const newest = await index.search(query({ q: '工行 退款', sort: 'newest', pageSize: 20 }));
      expect(newest.items.map((h) => h.filedAt)).toEqual(
        refunds
          .map((d) => d.filedAt)
          .sort((a, b) => b - a)
          .slice(0, 20),
      );
      // A product word is text: only the cases that say 花呗, of every provider.
      const huabei = await index.search(query({ q: '花呗' }));
      expect(huabei.total).toBe(docs.filter((d) => d.body.includes('花呗')).length);
      expect(Object.keys(huabei.facets.provider).sort()).toEqual([...providers].sort());
      await dispose();
    }
  });
});

describe('similarity words', () => {
  it('leave out numbers, dates, times and generic complaint words', async () => {
    const { isSimilarityWord } = await import('../../server/modules/search/similar-words.ts');
    for (const w of ['2026', '11', '３天', '十一月', '三个月', '周五', '星期天', '客服', '工作日', '问题', '退'])
      expect(isSimilarityWord(w), w).toBe(false);
    for (const w of ['冻结', '盗刷', '退款', '花呗', '提现', '人脸识别', '自动续费'])
      expect(isSimilarityWord(w), w).toBe(true);
  });
});
