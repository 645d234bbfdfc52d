// The embedded index's cached doclists under new cases: count cubes widen for codes they had not seen (an imported
// board of closed cases meets its first 待回应 case), and a list read whole takes its first new cases in place.
import { afterEach, describe, expect, it } from 'vitest';
import { T0, caseDoc, ids, query } from './factories.ts';
import { memoryIndex, plainAndFast } from './memory-index.ts';

describe('cached doclists under new cases', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });

  it('count cubes grow in place for a status, category or provider first seen after they were built', async () => {
    // An imported board of closed cases meets 待回应 with the first new complaint: the cubes of every cached word must
    // take the new code without a pass over their lists, and still count exactly.
    const doc = (i: number, fresh: boolean) =>
      caseDoc(i, {
        title: ['退款没有到账', '账户冻结退款'][i % 2],
        body: '申请退款被驳回。',
        provider: fresh && i % 3 === 0 ? 'ecny' : ['alipay', 'wechat-pay'][i % 2],
        category: fresh && i % 2 === 0 ? 'account-frozen' : 'refund-pending',
        status: fresh
          ? ['awaiting_response', 'responded', 'resolved'][i % 3]
          : ['resolved', 'closed_unresolved'][i % 2],
        filedAt: T0 + i * 3_600_000,
      });
    const { plain, fast } = await plainAndFast(cleanups);
    const compare = async () => {
      for (const q of ['退款', '冻结'])
        for (const filter of [
          {},
          { provider: 'ecny' },
          { status: 'awaiting_response' },
          { status: 'resolved', category: 'account-frozen' },
        ])
          for (const sort of ['newest', 'relevance'] as const) {
            const args = query({ q, sort, pageSize: 10, ...filter });
            const [a, b] = [await plain.index.search(args), await fast.index.search(args)];
            expect(b.total, JSON.stringify(args)).toBe(a.total);
            expect(b.facets, JSON.stringify(args)).toEqual(a.facets);
            expect(ids(b)).toEqual(ids(a));
          }
    };
    for (const { index } of [plain, fast]) await index.upsert(Array.from({ length: 600 }, (_, i) => doc(i + 1, false)));
    await compare();
    const cache = (fast.index as unknown as { cache: { peek(t: string): { cubes: object | null } | undefined } }).cache;
    const built = cache.peek('退款')?.cubes;
    expect(built).toBeTruthy();
    for (const { index } of [plain, fast]) {
      await index.upsert(Array.from({ length: 90 }, (_, i) => doc(1000 + i, true))); // new codes, appended
      await index.upsert([doc(3, true), doc(4, true)]); // replacements with new codes (kills, then appends)
    }
    await compare();
    expect(cache.peek('退款')?.cubes).toBe(built);
  });

  it('a list read whole takes its first new cases without being copied, and the answers include them', async () => {
    const fast = await memoryIndex({ bitsetMinDocs: 50 });
    cleanups.push(() => void fast.dispose());
    await fast.index.upsert(Array.from({ length: 800 }, (_, i) => caseDoc(i + 1, { title: '退款没有到账' })));
    await fast.index.warm(0);
    type Peeked = { ords: Int32Array; bits: Uint32Array | null; len: number };
    const cache = (fast.index as unknown as { cache: { peek(t: string): Peeked | undefined } }).cache;
    const before = cache.peek('退款')!;
    const [ords, bits] = [before.ords, before.bits];
    expect(before.len).toBe(800);
    await fast.index.upsert([caseDoc(900, { title: '退款' }), caseDoc(901, { title: '退款又失败' })]);
    const after = cache.peek('退款')!;
    expect(after.len).toBe(802);
    expect(after.ords).toBe(ords);
    expect(after.bits).toBe(bits);
    const found = await fast.index.search(query({ q: '退款', sort: 'newest', pageSize: 2 }));
    expect(found.total).toBe(802);
    expect(ids(found)).toEqual([901, 900]);
  });
});
