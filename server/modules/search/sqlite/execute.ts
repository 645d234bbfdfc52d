// One pass over the matching ords does everything a result page needs: filters, exact total, facet counts and the
// top k in the requested order. Scoring happens inside the same pass, so relevance costs a few operations per match
// instead of a bm25() call through SQLite for each of 300,000 rows.
//
// The relevance model is in ranking.ts.
import { CATEGORY_MASK, CATEGORY_SHIFT, IN_TITLE, PROVIDER_MASK, STATUS_MASK, STATUS_SHIFT } from './bits.ts';
import { browse, inRange } from './browse.ts';
import type { ColumnStore } from './columns.ts';
import { allTerms } from './multi-term.ts';
import { ALIAS_WEIGHT, B, K1, TITLE_WEIGHT } from './ranking.ts';
import { oneTermWalk, raisedTermWalk } from './term-walk.ts';
import type { TermPlan } from './term-plan.ts';
import { TopK } from './top-k.ts';
import { union } from './union.ts';
import type { Filters, Outcome } from './types.ts';

/** In relaxed (any-term) mode the number of matched terms dominates the score. */
export const PER_MATCHED_TERM = 10_000;

export interface Execution {
  /** 'all': every term must match; 'any': relaxed, ranked by how many terms match; 'browse': no text. */
  mode: 'all' | 'any' | 'browse';
  terms: TermPlan[];
  /** By provider code: added to the relevance score of each case of that provider (a provider named in the query
   *  beside other words, see sqlite-index.ts). Null: no boost. */
  boost: Float64Array | null;
  sort: 'relevance' | 'newest';
  k: number;
  facets: boolean;
}

/** No cases yet, with a zero facet count for every code the store has. */
export function emptyOutcome(store: ColumnStore): Outcome {
  return {
    total: 0,
    ords: [],
    provider: new Int32Array(store.providers.values.length + 1),
    category: new Int32Array(store.categories.values.length + 1),
    status: new Int32Array(store.statuses.values.length + 1),
  };
}

export function execute(store: ColumnStore, ex: Execution, f: Filters): Outcome {
  const out = emptyOutcome(store);
  if (f.impossible) return out;
  const ranged = f.from > -Infinity || f.to < Infinity || f.amountMin > -Infinity || f.amountMax < Infinity;
  const top = new TopK(ex.k);
  const boost = ex.boost ?? new Float64Array(store.providers.values.length + 1);
  // Each shape of query has its own loop: V8 compiles a loop that always sees the same types into tight machine
  // code, and one generic loop called with different shapes ran three to five times slower.
  if (ex.mode === 'browse') {
    browse(store, f, out, top);
  } else if (
    ex.mode === 'all' &&
    ex.terms.length === 1 &&
    !ranged &&
    ex.terms[0].list?.bits &&
    (ex.sort === 'newest' || !ex.boost) &&
    oneTermWalk(store, ex.terms[0], ex.sort, ex.k, ex.facets, f, out, top)
  ) {
    // answered from the term's count cube and a newest-first walk (term-walk.ts)
  } else if (
    ex.mode === 'all' &&
    ex.terms.length === 1 &&
    !ranged &&
    ex.sort === 'relevance' &&
    ex.boost &&
    raisedTermWalk(store, ex.terms[0], ex.boost, ex.k, ex.facets, f, out, top)
  ) {
    // a provider's name beside one common word: its title hits walked newest first (term-walk.ts)
  } else if (ex.mode === 'all' && ex.terms.length > 1) {
    out.total = allTerms(store, ex.terms, ex.sort, boost, f, out, top);
  } else if (ex.sort === 'newest') {
    listNewest(store, ex.mode === 'all' ? ex.terms[0].ords : union(ex.terms).ords, f, ex.facets, out, top);
  } else if (ex.mode === 'all') {
    const [t] = ex.terms;
    oneTermRelevance(store, t.ords, t.flags, t.idf, t.aliasOf, boost, f, ex.facets, out, top);
  } else {
    const { ords, codes } = union(ex.terms);
    termsRelevance(store, ords, codes, ex.terms, true, boost, f, ex.facets, out, top);
  }
  out.ords = top.sorted();
  return out;
}

/** Newest first over matching cases. */
function listNewest(store: ColumnStore, ords: Int32Array, f: Filters, facets: boolean, out: Outcome, top: TopK): void {
  const { packed, filedAt } = store;
  const { mask, want } = f;
  const ranged = f.from > -Infinity || f.to < Infinity || f.amountMin > -Infinity || f.amountMax < Infinity;
  const pc = out.provider,
    cc = out.category,
    sc = out.status;
  let floor = -Infinity;
  let total = 0;
  for (let i = 0; i < ords.length; i++) {
    const ord = ords[i];
    const x = packed[ord];
    if ((x & mask) !== want || (ranged && !inRange(store, ord, f))) continue;
    total++;
    if (facets) {
      pc[x & PROVIDER_MASK]++;
      cc[(x & CATEGORY_MASK) >>> CATEGORY_SHIFT]++;
      sc[(x & STATUS_MASK) >>> STATUS_SHIFT]++;
    }
    const t = filedAt[ord];
    if (t < floor) continue;
    top.offer(t, ord, ord);
    floor = top.floor;
  }
  out.total = total;
}

/**
 * Relevance for a one-word query, the commonest kind. Every title hit scores the same (3 × idf) and above any body
 * hit (at most 2.2 × idf), so once the page is full of title hits a body hit is rejected on its flags alone,
 * without computing its length-normalised weight.
 */
function oneTermRelevance(
  store: ColumnStore,
  ords: Int32Array,
  flags: Uint8Array,
  idfValue: number,
  aliasOf: Uint8Array,
  boost: Float64Array,
  f: Filters,
  facets: boolean,
  out: Outcome,
  top: TopK,
): void {
  const { packed, filedAt, bodyLen } = store;
  const { mask, want } = f;
  const ranged = f.from > -Infinity || f.to < Infinity || f.amountMin > -Infinity || f.amountMax < Infinity;
  const pc = out.provider,
    cc = out.category,
    sc = out.status;
  const titleScore = idfValue * TITLE_WEIGHT;
  const aliasScore = idfValue * ALIAS_WEIGHT;
  const bodyMax = idfValue * (K1 + 1) + Math.max(0, ...boost);
  const lenScale = (K1 * B) / store.avgBodyLen;
  const lenBase = K1 * (1 - B);
  let floor = -Infinity;
  let floorTime = -Infinity;
  let total = 0;
  for (let i = 0; i < ords.length; i++) {
    const ord = ords[i];
    const x = packed[ord];
    if ((x & mask) !== want || (ranged && !inRange(store, ord, f))) continue;
    total++;
    if (facets) {
      pc[x & PROVIDER_MASK]++;
      cc[(x & CATEGORY_MASK) >>> CATEGORY_SHIFT]++;
      sc[(x & STATUS_MASK) >>> STATUS_SHIFT]++;
    }
    const provider = x & PROVIDER_MASK;
    let score: number;
    if (flags[i] & IN_TITLE) score = titleScore + boost[provider];
    else if (aliasOf[provider]) score = aliasScore + boost[provider];
    else {
      if (bodyMax < floor) continue;
      score = (idfValue * (K1 + 1)) / (1 + lenBase + lenScale * bodyLen[ord]) + boost[provider];
    }
    if (score < floor || (score === floor && filedAt[ord] < floorTime)) continue;
    top.offer(score, filedAt[ord], ord);
    floor = top.floor;
    floorTime = top.floorSecondary;
  }
  out.total = total;
}

/** Relevance in relaxed mode: any of the words, cases with more of them first. */
function termsRelevance(
  store: ColumnStore,
  ords: Int32Array,
  codes: Uint8Array[],
  terms: TermPlan[],
  relaxed: boolean,
  boost: Float64Array,
  f: Filters,
  facets: boolean,
  out: Outcome,
  top: TopK,
): void {
  const { packed, filedAt, bodyLen } = store;
  const { mask, want } = f;
  const ranged = f.from > -Infinity || f.to < Infinity || f.amountMin > -Infinity || f.amountMax < Infinity;
  const pc = out.provider,
    cc = out.category,
    sc = out.status;
  const nt = terms.length;
  const lenScale = (K1 * B) / store.avgBodyLen;
  const lenBase = K1 * (1 - B);
  let floor = -Infinity;
  let floorTime = -Infinity;
  let total = 0;
  for (let i = 0; i < ords.length; i++) {
    const ord = ords[i];
    const x = packed[ord];
    if ((x & mask) !== want || (ranged && !inRange(store, ord, f))) continue;
    total++;
    if (facets) {
      pc[x & PROVIDER_MASK]++;
      cc[(x & CATEGORY_MASK) >>> CATEGORY_SHIFT]++;
      sc[(x & STATUS_MASK) >>> STATUS_SHIFT]++;
    }
    const bodyWeight = (K1 + 1) / (1 + lenBase + lenScale * bodyLen[ord]);
    const provider = x & PROVIDER_MASK;
    let score = boost[provider];
    for (let j = 0; j < nt; j++) {
      const c = codes[j][i];
      if (c === 0) continue;
      const term = terms[j];
      const w = c & IN_TITLE ? TITLE_WEIGHT : term.aliasOf[provider] ? ALIAS_WEIGHT : bodyWeight;
      score += term.idf * w + (relaxed ? PER_MATCHED_TERM : 0);
    }
    if (score < floor || (score === floor && filedAt[ord] < floorTime)) continue;
    top.offer(score, filedAt[ord], ord);
    floor = top.floor;
    floorTime = top.floorSecondary;
  }
  out.total = total;
}

/**
 * A case's relaxed score given its flags on each term's list (0: not on it), computed as termsRelevance computes it
 * (the same operations in the same order, so the same number) with no provider boost, which relaxed mode never has.
 */
export function relaxedScore(store: ColumnStore, terms: TermPlan[], codes: ArrayLike<number>, ord: number): number {
  const lenScale = (K1 * B) / store.avgBodyLen;
  const lenBase = K1 * (1 - B);
  const bodyWeight = (K1 + 1) / (1 + lenBase + lenScale * store.bodyLen[ord]);
  const provider = store.packed[ord] & PROVIDER_MASK;
  let score = 0;
  for (let j = 0; j < terms.length; j++) {
    const c = codes[j];
    if (c === 0) continue;
    const term = terms[j];
    const w = c & IN_TITLE ? TITLE_WEIGHT : term.aliasOf[provider] ? ALIAS_WEIGHT : bodyWeight;
    score += term.idf * w + PER_MATCHED_TERM;
  }
  return score;
}

/** First index ≥ from whose value is ≥ ord (exponential then binary search). */
function gallop(list: Int32Array, from: number, ord: number): number {
  let i = from;
  if (i >= list.length || list[i] >= ord) return i;
  let step = 1;
  while (i + step < list.length && list[i + step] < ord) {
    i += step;
    step *= 2;
  }
  let lo = i + 1;
  let hi = Math.min(i + step, list.length);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < ord) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Intersection of plain ord lists (a long query word matched through its parts). */
export function intersectOrds(lists: Int32Array[]): Int32Array {
  if (lists.length === 0) return new Int32Array(0);
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let acc = sorted[0];
  for (let j = 1; j < sorted.length && acc.length > 0; j++) {
    const big = sorted[j];
    const out = new Int32Array(acc.length);
    let n = 0,
      at = 0;
    for (let i = 0; i < acc.length; i++) {
      at = gallop(big, at, acc[i]);
      if (at < big.length && big[at] === acc[i]) out[n++] = acc[i];
    }
    acc = out.subarray(0, n);
  }
  return acc;
}
