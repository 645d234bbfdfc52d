// similar()'s scoring: the k best cases over the chosen words' doclists, each case scoring the idf of the words it
// shares (TITLE_BONUS more in its title), then raised for the same provider and category. A case that cannot reach the
// k best even with both boosts is dropped before its columns are read.
//
// Term at a time: each list is walked once, in order, adding its word's weight to a score array indexed by ord (ords
// only grow along a list, so the writes run forward through memory), and the cases touched are then offered to the
// k best. A document-at-a-time merge of up to 8 lists looked at every list's head for every case (about 4 ms a call
// over 60,000 entries at 1,000,000 cases); MaxScore pruning on top of it saved nothing with a pool of 50, whose 50th
// score stays within reach of the commonest words. The weights are added in the order the words were chosen, as the
// merge added them, and the k best under (score, date, ord) do not depend on the order cases are offered in, so the
// answer is the merge's exactly (test/search/similar-merge.test.ts keeps the merge as its reference).
import { IN_TITLE } from './bits.ts';
import { TopK } from './top-k.ts';

export const SAME_PROVIDER_BOOST = 0.5;
export const SAME_CATEGORY_BOOST = 0.25;
export const TITLE_BONUS = 0.5;
/** The most both boosts can raise a score by. */
export const MAX_BOOST = 1 + SAME_PROVIDER_BOOST + SAME_CATEGORY_BOOST;

export interface Doclist {
  ords: Int32Array;
  flags: Uint8Array;
  len: number;
}

/** What the merge reads of each case (ColumnStore has these). */
export interface SimilarColumns {
  isAlive(ord: number): boolean;
  providerOf(ord: number): number;
  categoryOf(ord: number): number;
  readonly filedAt: ArrayLike<number>;
}

export interface SimilarTarget {
  provider: number;
  category: number;
  excludeOrd: number;
}

/**
 * The ord space is scored in blocks of BLOCK cases: each list's entries in the block are added into a score array of
 * the block's size (512 KiB, which stays in the core's 2 MiB L2 cache here), then the block's touched cases are
 * offered. Scoring into one array by ord over a million cases missed the cache on almost every entry: a call (about
 * 33,000 entries, pool of 50) took 2.7 ms on average that way and 1.5–2.0 ms in blocks (scripts/bench-similar.ts at
 * 1,000,000 cases, old and new run in turn; 2^15 and 2^17 were within noise of 2^16, 2^13 and 2^18 slower).
 */
const BLOCK = 1 << 16;

/**
 * Scratch shared by every call (calls are synchronous, so never by two at once): scores and touched marks by ord in
 * the block, all zero between blocks, and the block's touched ords. (A zero score cannot mark an untouched case: a
 * word's idf is counted over live cases and its list still holds removed ones, so on a tiny board it can be zero or
 * below.)
 */
const score = new Float64Array(BLOCK);
const seen = new Uint8Array(BLOCK);
const touched = new Int32Array(BLOCK);

/** The ords of the k best cases, best first: `lists[j]` holds the cases with chosen word j, whose idf is `idfs[j]`. */
export function topSimilar(
  store: SimilarColumns,
  lists: Doclist[],
  idfs: number[],
  target: SimilarTarget,
  k: number,
): number[] {
  if (lists.length === 0 || k === 0) return [];
  const top = new TopK(k);
  let floor = top.floor;
  const cursor = new Int32Array(lists.length);
  for (;;) {
    // The next block holding an entry of any list.
    let next = -1;
    for (let j = 0; j < lists.length; j++) {
      const l = lists[j];
      if (cursor[j] < l.len && (next < 0 || l.ords[cursor[j]] < next)) next = l.ords[cursor[j]];
    }
    if (next < 0) break;
    const base = next - (next % BLOCK);
    const end = base + BLOCK;
    let n = 0;
    for (let j = 0; j < lists.length; j++) {
      const { ords, flags, len } = lists[j];
      const plain = idfs[j];
      const titled = plain * (1 + TITLE_BONUS);
      let i = cursor[j];
      for (; i < len; i++) {
        const ord = ords[i];
        if (ord >= end) break;
        const o = ord - base;
        if (seen[o] === 0) {
          seen[o] = 1;
          touched[n++] = o;
        }
        score[o] += flags[i] & IN_TITLE ? titled : plain;
      }
      cursor[j] = i;
    }
    for (let t = 0; t < n; t++) {
      const o = touched[t];
      let s = score[o];
      score[o] = 0;
      seen[o] = 0;
      const ord = o + base;
      // The floor is read from a local: it only moves when an offer is taken.
      if (s * MAX_BOOST < floor || ord === target.excludeOrd || !store.isAlive(ord)) continue;
      s *=
        1 +
        (store.providerOf(ord) === target.provider ? SAME_PROVIDER_BOOST : 0) +
        (store.categoryOf(ord) === target.category ? SAME_CATEGORY_BOOST : 0);
      top.offer(s, store.filedAt[ord], ord);
      floor = top.floor;
    }
  }
  return top.sorted();
}
