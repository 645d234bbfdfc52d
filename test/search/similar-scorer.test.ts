// similar()'s scoring thread (sqlite/similar-scorer.ts) answers exactly what scoring in place answers, reading the
// column store and the doclists from shared memory; drafts too small for a round trip, and lists that are not shared,
// are scored in place; a thread that goes away mid-question leaves the answer to the request thread.
import { afterEach, describe, expect, it } from 'vitest';
import { IN_TITLE, PRESENT } from '../../server/modules/search/sqlite/bits.ts';
import { ColumnStore } from '../../server/modules/search/sqlite/columns.ts';
import { TermList } from '../../server/modules/search/sqlite/postings.ts';
import { isShared, sharedInt32, sharedUint8 } from '../../server/modules/search/sqlite/shared-arrays.ts';
import { topSimilar } from '../../server/modules/search/sqlite/similar-merge.ts';
import { SimilarScorer } from '../../server/modules/search/sqlite/similar-scorer.ts';
import { rng } from './factories.ts';

/** A column store of `n` cases (a few removed) and `words` doclists on shared memory, as the index keeps them. */
function board(seed: number, n: number, words: number) {
  const r = rng(seed);
  const store = new ColumnStore();
  for (let ord = 1; ord <= n; ord++) {
    store.set(ord, {
      id: ord,
      provider: Math.floor(r() * 6),
      category: Math.floor(r() * 4),
      status: 0,
      amountFen: 0,
      filedAt: 1_700_000_000_000 + Math.floor(r() * 400) * 86_400_000,
      overdue: false,
      bodyLen: 100,
    });
  }
  for (let ord = 1; ord <= n; ord++) if (r() < 0.03) store.kill(ord);
  const lists = Array.from({ length: words }, () => {
    const share = 0.01 + r() * 0.1;
    const ords: number[] = [];
    for (let ord = 1; ord <= n; ord++) if (r() < share) ords.push(ord);
    const list = new TermList(sharedInt32(ords.length + 8), sharedUint8(ords.length + 8));
    for (const ord of ords) list.push(ord, r() < 0.3 ? PRESENT | IN_TITLE : PRESENT);
    return list;
  });
  const idfs = lists.map((l) => Math.log(1 + (n - l.len + 0.5) / (l.len + 0.5)));
  return { store, lists, idfs, r };
}

const scorers: SimilarScorer[] = [];
const scorer = (opts: ConstructorParameters<typeof SimilarScorer>[0] = {}) => {
  const s = new SimilarScorer(opts);
  scorers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(scorers.splice(0).map((s) => s.close()));
});

describe('similar-cases scoring thread', () => {
  it('keeps the column store and cached doclists on shared memory', () => {
    const { store, lists } = board(1, 2000, 2);
    expect(isShared(store.packed) && isShared(store.filedAt)).toBe(true);
    expect(lists.every((l) => isShared(l.ords) && isShared(l.flags))).toBe(true);
    lists[0].push(5000, PRESENT); // grown past its room: still shared
    expect(isShared(lists[0].ords) && isShared(lists[0].flags)).toBe(true);
  });

  it('answers what scoring in place answers, for boards and targets one after another', async () => {
    const s = scorer({ minEntries: 0 });
    for (let seed = 1; seed <= 6; seed++) {
      const { store, lists, idfs, r } = board(seed, 30_000 + seed * 7_000, 2 + (seed % 6));
      for (let q = 0; q < 4; q++) {
        const target = {
          provider: Math.floor(r() * 7) - 1,
          category: Math.floor(r() * 5) - 1,
          excludeOrd: q === 0 ? -1 : 1 + Math.floor(r() * store.size),
        };
        const k = [1, 5, 50, 200][q];
        const expected = topSimilar(store, lists, idfs, target, k);
        expect(expected.length).toBe(k);
        expect(await s.score(store, lists, idfs, target, k)).toEqual(expected);
      }
    }
    expect(s.scoredInThread).toBe(24);
  });

  it('sees the cases written and removed before each question', async () => {
    const s = scorer({ minEntries: 0 });
    const { store, lists, idfs } = board(7, 20_000, 3);
    const target = { provider: 1, category: 2, excludeOrd: -1 };
    const before = await s.score(store, lists, idfs, target, 10);
    store.kill(before[0]);
    const ord = store.size + 1;
    store.set(ord, {
      id: ord,
      provider: 1,
      category: 2,
      status: 0,
      amountFen: 0,
      filedAt: 2e12,
      overdue: false,
      bodyLen: 1,
    });
    for (const l of lists) l.push(ord, PRESENT | IN_TITLE);
    const after = await s.score(store, lists, idfs, target, 10);
    expect(after).toEqual(topSimilar(store, lists, idfs, target, 10));
    expect(after[0]).toBe(ord);
    expect(after).not.toContain(before[0]);
  });

  it('scores small drafts and lists that are not shared in place', async () => {
    const { store, lists, idfs } = board(8, 5_000, 3);
    const target = { provider: 0, category: 0, excludeOrd: -1 };
    const expected = topSimilar(store, lists, idfs, target, 20);
    const small = scorer(); // 5,000 cases: under THREAD_MIN_ENTRIES entries
    expect(await small.score(store, lists, idfs, target, 20)).toEqual(expected);
    expect(small.scoredInThread).toBe(0);
    const plain = lists.map((l) => new TermList(l.ords.slice(), l.flags.slice(), l.len));
    expect(isShared(plain[0].ords)).toBe(false);
    const s = scorer({ minEntries: 0 });
    expect(await s.score(store, plain, idfs, target, 20)).toEqual(expected);
    expect(s.scoredInThread).toBe(0);
    expect(await s.score(store, lists, idfs, target, 20)).toEqual(expected);
    expect(s.scoredInThread).toBe(1);
  });

  it('answers in place when the thread goes away mid-question, and says so', async () => {
    const errors: Error[] = [];
    const s = scorer({ minEntries: 0, onError: (err) => errors.push(err) });
    const { store, lists, idfs } = board(9, 40_000, 4);
    const target = { provider: 2, category: 1, excludeOrd: -1 };
    const expected = topSimilar(store, lists, idfs, target, 30);
    const asked = s.score(store, lists, idfs, target, 30);
    await s.close();
    expect(await asked).toEqual(expected);
    expect(errors.map((e) => e.message)).toEqual(['similar-cases thread stopped']);
    // The next question starts the thread again.
    expect(await s.score(store, lists, idfs, target, 30)).toEqual(expected);
    expect(s.scoredInThread).toBe(1);
  });

  it('sends the column arrays again when the store grew into new ones or the thread was replaced while idle', async () => {
    const errors: Error[] = [];
    const s = scorer({ minEntries: 0, onError: (err) => errors.push(err) });
    const { store, lists, idfs } = board(10, 30_000, 4);
    const target = { provider: 3, category: 0, excludeOrd: -1 };
    expect(await s.score(store, lists, idfs, target, 20)).toEqual(topSimilar(store, lists, idfs, target, 20));
    // Cases up to far past the arrays' room: the store moves to new (still shared) arrays.
    const before = store.packed;
    const doc = { provider: 3, category: 0, status: 0, amountFen: 0, filedAt: 3e12, overdue: false, bodyLen: 1 };
    for (let ord = store.size; ord < before.length + 10; ord++) store.set(ord, { id: ord, ...doc });
    expect(store.packed).not.toBe(before);
    const last = store.size - 1;
    for (const l of lists) l.push(last, PRESENT | IN_TITLE);
    const grown = await s.score(store, lists, idfs, target, 20);
    expect(grown).toEqual(topSimilar(store, lists, idfs, target, 20));
    expect(grown[0]).toBe(last);
    // The thread ends while idle (no question owed): the next one starts without columns and asks for them.
    const worker = (s as unknown as { thread: { worker: { terminate(): Promise<number> } } }).thread.worker;
    await worker.terminate();
    expect(await s.score(store, lists, idfs, target, 20)).toEqual(grown);
    expect(s.scoredInThread).toBe(3);
    expect(errors).toEqual([]);
  });
});
