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
 * Scratch shared by every call (calls are synchronous, so never by two at once): scores and touched marks by ord, all
 * zero between calls, and the touched ords. They grow with the board: 9 bytes a case.
 */
let score = new Float64Array(0);
let seen = new Uint8Array(0);
let touched = new Int32Array(0);

/** The ords of the k best cases, best first: `lists[j]` holds the cases with chosen word j, whose idf is `idfs[j]`. */
export function topSimilar(
  store: SimilarColumns,
  lists: Doclist[],
  idfs: number[],
  target: SimilarTarget,
  k: number,
): number[] {
  if (lists.length === 0 || k === 0) return [];
  let size = 0;
  let entries = 0;
  for (const l of lists) {
    if (l.len > 0) size = Math.max(size, l.ords[l.len - 1] + 1);
    entries += l.len;
  }
  if (score.length < size) {
    score = new Float64Array(Math.ceil(size * 1.25));
    seen = new Uint8Array(score.length);
  }
  if (touched.length < entries) touched = new Int32Array(Math.ceil(entries * 1.25));
  let n = 0;
  for (let j = 0; j < lists.length; j++) {
    const { ords, flags, len } = lists[j];
    const plain = idfs[j];
    const titled = plain * (1 + TITLE_BONUS);
    for (let i = 0; i < len; i++) {
      const ord = ords[i];
      if (seen[ord] === 0) {
        seen[ord] = 1;
        touched[n++] = ord;
      }
      score[ord] += flags[i] & IN_TITLE ? titled : plain;
    }
  }
  const top = new TopK(k);
  for (let t = 0; t < n; t++) {
    const ord = touched[t];
    let s = score[ord];
    score[ord] = 0;
    seen[ord] = 0;
    if (s * MAX_BOOST < top.floor || ord === target.excludeOrd || !store.isAlive(ord)) continue;
    s *=
      1 +
      (store.providerOf(ord) === target.provider ? SAME_PROVIDER_BOOST : 0) +
      (store.categoryOf(ord) === target.category ? SAME_CATEGORY_BOOST : 0);
    top.offer(s, store.filedAt[ord], ord);
  }
  return top.sorted();
}
