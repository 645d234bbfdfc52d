// The SQLite index's warm-up steps: what they leave in memory, and that a warmed index answers exactly like a cold
// one, also when cases are written and removed between two steps (the doclists are read in ord ranges).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteSearchIndex } from '../../server/modules/search/sqlite-index.ts';
import { T0, caseDoc, ids, query } from './factories.ts';

const TITLES = ['退款没有到账', '账户被冻结', '客服不回复', '扣款后订单失败'];
const BODIES = ['钱一直没有退回，客服说冻结了。', '申请退款被驳回。', '重复扣款，要求退还。'];
const PROVIDERS = ['alipay', 'wechat-pay', 'ecny'];

const docOf = (i: number) => caseDoc(i, {
  title: TITLES[i % 4], body: `${BODIES[i % 3]}${i % 50 === 0 ? '罕见词语蟑螂' : ''}`, provider: i % 300 === 7 ? 'icbc-wallet' : PROVIDERS[i % 3],
  status: ['resolved', 'closed_unresolved'][i % 2], filedAt: T0 + ((i * 7919) % 600) * 3_600_000,
});

async function openIndex(db = new Database(':memory:')) {
  const index = new SqliteSearchIndex(db, { bitsetMinDocs: 50 });
  await index.init();
  return { index, db };
}

describe('search warm-up (sqlite)', () => {
  it('leaves the common words and the provider aliases in memory with their bitsets and cubes, in many small steps', async () => {
    const { index, db } = await openIndex();
    await index.upsert(Array.from({ length: 600 }, (_, i) => docOf(i + 1)));
    expect(index.cached('退款')).toBeNull();
    const phases = new Set<string>();
    let steps = 0;
    for (const p of index.warmSteps({ chunk: 16, minDocShare: 0.05 })) { steps++; phases.add(p.phase); }
    expect([...phases]).toEqual(['vocabulary', 'doclists', 'probes']);
    expect(steps).toBeGreaterThan(100);
    for (const word of ['退款', '冻结', '客服', '扣款']) expect(index.cached(word), word).toMatchObject({ bitsets: true, cubes: true });
    // 工行 is in 2 of 600 cases (an alias of icbc-wallet), below the 5% share: warmed because it is a provider's name
    expect(index.cached('工行')).toMatchObject({ len: 2 });
    expect(index.cached('蟑螂')).toBeNull(); // in 12 of 600 cases: neither common nor an alias
    db.close();
  });

  it('finds every common word when the vocabulary spans many adaptive pages', async () => {
    const { index, db } = await openIndex();
    // 2000 distinct words, each in 3 of 400 cases (above the 0.5% share)
    await index.upsert(Array.from({ length: 400 }, (_, i) => caseDoc(i + 1, {
      body: Array.from({ length: 15 }, (_, j) => `kw${(i * 5 + j) % 2000}`).join(' '),
    })));
    for (const _ of index.warmSteps({ minDocShare: 0.005, maxTerms: 5000, targetMs: 1000 })); // pages double: 256, 512 …
    const missing = Array.from({ length: 2000 }, (_, n) => `kw${n}`).filter((w) => !index.cached(w));
    expect(missing).toEqual([]);
    db.close();
  });

  it('answers exactly like a cold index, with writes and removals between steps', async () => {
    const db = new Database(':memory:');
    const { index: warm } = await openIndex(db);
    const { index: cold } = await openIndex(new Database(':memory:'));
    const first = Array.from({ length: 500 }, (_, i) => docOf(i + 1));
    await warm.upsert(first);
    await cold.upsert(first);
    let step = 0, next = 501;
    for (const p of warm.warmSteps({ chunk: 8, minDocShare: 0.05 })) {
      if (p.phase !== 'doclists' || ++step % 23 !== 0) continue;
      const added = [docOf(next++), docOf(next++)];
      for (const index of [warm, cold]) {
        await index.upsert(added);
        await index.upsert([docOf(step % 400 + 1)]); // a replacement: the case gets a new, larger ord
        await index.remove([next - 60]);
      }
    }
    expect(step).toBeGreaterThan(200);
    expect(warm.cached('退款')).toMatchObject({ cubes: true });
    for (const q of ['退款', '冻结', '客服', '扣款', '支付宝', '工行', '退款 冻结', '蟑螂']) {
      for (const sort of ['relevance', 'newest'] as const) {
        for (const filter of [{}, { provider: 'alipay' }, { status: 'resolved' }, { provider: 'ecny', status: 'closed_unresolved' }]) {
          for (const page of [1, 4]) {
            const args = query({ q, sort, page, pageSize: 20, ...filter });
            const [a, b] = [await cold.search(args), await warm.search(args)];
            expect(ids(b), JSON.stringify(args)).toEqual(ids(a));
            expect(b.total).toBe(a.total);
            expect(b.facets).toEqual(a.facets);
          }
        }
      }
    }
    for (const draft of [{ title: '退款被拒绝', body: '客服说账户冻结了' }, { title: '重复扣款', body: '订单失败', provider: 'alipay' }]) {
      expect(ids(await warm.similar(draft, 10))).toEqual(ids(await cold.similar(draft, 10)));
    }
    db.close();
  });

  it('drops a list read across a reload instead of caching a stale one', async () => {
    const { index, db } = await openIndex();
    await index.upsert(Array.from({ length: 300 }, (_, i) => docOf(i + 1)));
    const steps = index.warmSteps({ chunk: 8, minDocShare: 0.05 });
    let p = steps.next();
    while (!p.done && p.value.phase !== 'doclists') p = steps.next();
    await index.clear(); // empties the cache mid-list
    await index.upsert([docOf(1)]);
    for (p = steps.next(); !p.done; p = steps.next());
    const r = await index.search(query({ q: '退款' }));
    expect(r.total).toBe((await index.search(query({ q: '退款', sort: 'newest' }))).total);
    expect(ids(r)).toEqual([1]);
    db.close();
  });
});
