// similar()'s term-at-a-time scoring answers exactly what the document-at-a-time merge it replaced (kept here as the
// reference) answers: same cases, same order, on random boards with title hits, boosts, dead cases, an excluded case,
// equal idfs and ties on score, one board after another through the same scratch arrays.
import { describe, expect, it } from 'vitest';
import { IN_TITLE } from '../../server/modules/search/sqlite/bits.ts';
import {
  type Doclist,
  MAX_BOOST,
  SAME_CATEGORY_BOOST,
  SAME_PROVIDER_BOOST,
  type SimilarColumns,
  type SimilarTarget,
  TITLE_BONUS,
  topSimilar,
} from '../../server/modules/search/sqlite/similar-merge.ts';
import { TopK } from '../../server/modules/search/sqlite/top-k.ts';
import { rng } from './factories.ts';

function exhaustive(store: SimilarColumns, lists: Doclist[], idfs: number[], t: SimilarTarget, k: number): number[] {
  if (lists.length === 0 || k === 0) return [];
  const top = new TopK(k);
  const at = lists.map(() => 0);
  for (;;) {
    let ord = Infinity;
    lists.forEach((l, j) => {
      if (at[j] < l.len) ord = Math.min(ord, l.ords[at[j]]);
    });
    if (ord === Infinity) break;
    let s = 0;
    lists.forEach((l, j) => {
      if (at[j] < l.len && l.ords[at[j]] === ord) {
        s += l.flags[at[j]] & IN_TITLE ? idfs[j] * (1 + TITLE_BONUS) : idfs[j];
        at[j]++;
      }
    });
    if (s * MAX_BOOST < top.floor || ord === t.excludeOrd || !store.isAlive(ord)) continue;
    s *=
      1 +
      (store.providerOf(ord) === t.provider ? SAME_PROVIDER_BOOST : 0) +
      (store.categoryOf(ord) === t.category ? SAME_CATEGORY_BOOST : 0);
    top.offer(s, store.filedAt[ord], ord);
  }
  return top.sorted();
}

function board(seed: number, size = { min: 200, spread: 3000 }) {
  const r = rng(seed);
  const n = size.min + Math.floor(r() * size.spread);
  const alive = Array.from({ length: n }, () => r() > 0.05);
  const provider = Array.from({ length: n }, () => Math.floor(r() * 4));
  const category = Array.from({ length: n }, () => Math.floor(r() * 5));
  // Few distinct dates, so that equal scores are often broken by date, and sometimes by ord.
  const filedAt = Float64Array.from({ length: n }, () => Math.floor(r() * 20));
  const store: SimilarColumns = {
    isAlive: (o) => alive[o],
    providerOf: (o) => provider[o],
    categoryOf: (o) => category[o],
    filedAt,
  };
  const m = 1 + Math.floor(r() * 8);
  const lists: Doclist[] = [];
  const idfs: number[] = [];
  for (let j = 0; j < m; j++) {
    const share = r() < 0.3 ? 0.4 : r() * 0.1; // a few long lists (common words) among short ones
    const ords: number[] = [];
    for (let o = 0; o < n; o++) if (r() < share) ords.push(o);
    // Spare capacity past len, as a cached doclist has: the merge must never read it.
    const cap = ords.length + Math.floor(r() * 8);
    const list = { ords: new Int32Array(cap).fill(-1), flags: new Uint8Array(cap).fill(IN_TITLE), len: ords.length };
    ords.forEach((o, i) => {
      list.ords[i] = o;
      list.flags[i] = r() < 0.2 ? IN_TITLE : 0;
    });
    lists.push(list);
    // Equal idfs now and then (two words as common as each other).
    idfs.push(j > 0 && r() < 0.2 ? idfs[j - 1] : 0.5 + r() * 8);
  }
  const target = {
    provider: Math.floor(r() * 5) - 1,
    category: Math.floor(r() * 6) - 1,
    excludeOrd: r() < 0.5 ? Math.floor(r() * n) : -1,
  };
  const k = [1, 5, 10, 50, 100][Math.floor(r() * 5)];
  return { store, lists, idfs, target, k };
}

describe('similar(): term-at-a-time scoring', () => {
  it('answers what the exhaustive merge answers, case for case and in order, on 2,000 random boards', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const b = board(seed);
      const want = exhaustive(b.store, b.lists, b.idfs, b.target, b.k);
      const got = topSimilar(b.store, b.lists, b.idfs, b.target, b.k);
      if (JSON.stringify(got) !== JSON.stringify(want)) expect({ seed, got }).toEqual({ seed, got: want });
    }
  });

  it('answers the same on boards spanning many scoring blocks (up to 300,000 cases)', () => {
    // topSimilar scores 32,768 ords at a time: lists cross block edges, and blocks without entries are skipped.
    for (let seed = 1; seed <= 16; seed++) {
      const b = board(10_000 + seed, { min: 30_000, spread: 270_000 });
      const want = exhaustive(b.store, b.lists, b.idfs, b.target, b.k);
      const got = topSimilar(b.store, b.lists, b.idfs, b.target, b.k);
      if (JSON.stringify(got) !== JSON.stringify(want)) expect({ seed, got }).toEqual({ seed, got: want });
    }
    // Cases on both sides of block edges, each with both words: none may lose a word's weight at an edge.
    const edges = [0, 32_767, 32_768, 65_535, 65_536, 98_303, 98_304, 131_071, 131_072];
    const rare = {
      ords: Int32Array.from(edges),
      flags: new Uint8Array(edges.length).fill(IN_TITLE),
      len: edges.length,
    };
    const common = { ords: Int32Array.from(edges), flags: new Uint8Array(edges.length), len: edges.length };
    const store: SimilarColumns = {
      isAlive: () => true,
      providerOf: () => 0,
      categoryOf: () => 0,
      filedAt: Float64Array.from({ length: 140_000 }, (_, i) => i % 3),
    };
    const target = { provider: 1, category: 1, excludeOrd: -1 };
    const other = { ords: Int32Array.from([5, 40_000, 70_000]), flags: new Uint8Array(3).fill(IN_TITLE), len: 3 };
    const got = topSimilar(store, [rare, common, other], [3, 2, 4], target, edges.length);
    expect(got).toEqual(exhaustive(store, [rare, common, other], [3, 2, 4], target, edges.length));
    expect(new Set(got)).toEqual(new Set(edges));
  });

  it("ranks a rare word in titles above a common word, ties broken by ord, and reads few cases' columns", () => {
    // Word 0 is rare (ten ords, in titles), word 1 common (every ord). k = 5: once five cases with both words are in,
    // a case with word 1 alone is dropped on its score, before its columns are read.
    const n = 100_000;
    const common = { ords: Int32Array.from({ length: n }, (_, i) => i), flags: new Uint8Array(n), len: n };
    const rare = { ords: Int32Array.from({ length: 10 }, (_, i) => i * 7), flags: new Uint8Array(10).fill(1), len: 10 };
    let reads = 0;
    const store: SimilarColumns = {
      isAlive: () => {
        reads++;
        return true;
      },
      providerOf: () => 0,
      categoryOf: () => 0,
      filedAt: new Float64Array(n),
    };
    const target = { provider: 1, category: 1, excludeOrd: -1 };
    const got = topSimilar(store, [rare, common], [9, 0.1], target, 5);
    expect(got).toEqual(exhaustive(store, [rare, common], [9, 0.1], target, 5));
    expect(got).toEqual([63, 56, 49, 42, 35]); // equal scores: the higher ord first, as TopK breaks ties
    expect(reads).toBeLessThan(100);
  });

  it('answers nothing for no words or k = 0', () => {
    const b = board(7);
    expect(topSimilar(b.store, [], [], b.target, 5)).toEqual([]);
    expect(topSimilar(b.store, b.lists, b.idfs, b.target, 0)).toEqual([]);
  });
});
