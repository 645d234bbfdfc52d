// Relaxed mode for two or three words that no case has all of (under the query's filters), without a merge of their
// lists and a scoring pass over every case in any of them (union.ts, then execute.ts's termsRelevance). 余额 转出 at
// 1,000,000 cases is such a query (余额, 转, 出: lists of 44,615, 46,042 and 11 cases) and cost 18 ms that way.
//
// Each non-empty proper subset of the words is run as an all-words query (one word: its one-word path, often the count
// cube and a short walk; two: allTerms' pass over the rarer list). Counting every case once, by inclusion–exclusion
// over those subsets (the full set matches nothing), gives the exact total and facets. The k best of the relaxed order
// (more words matched first, then the words' scores) are among the subsets' own k best: a case matching subset S
// outranks, in the relaxed order, every case that outranks it in S's order (each of those matches S too, so at least
// as many words, and scores higher on them), so a case outside S's k best has k better ones. The candidates are then
// scored as termsRelevance scores them.
import type { ColumnStore } from './columns.ts';
import { type Execution, emptyOutcome, execute, relaxedScore } from './execute.ts';
import { findOrd } from './find-ord.ts';
import type { TermPlan } from './term-plan.ts';
import { TopK } from './top-k.ts';
import type { Filters, Outcome } from './types.ts';

/** Words of a relaxed query this path takes (three: six subset queries; four would take fourteen). */
export const RELAXED_FEW_MAX = 3;

/**
 * What execute() answers in 'any' mode for `ex.terms` (2 to RELAXED_FEW_MAX words, no boost), given that no case
 * passing `f` has all of them: the caller knows it from an all-words query under the same filters that found nothing.
 */
export function relaxedFew(store: ColumnStore, ex: Execution, f: Filters): Outcome {
  const { terms } = ex;
  if (terms.length < 2 || terms.length > RELAXED_FEW_MAX || ex.boost)
    throw new Error(`relaxedFew: 2 to ${RELAXED_FEW_MAX} words and no boost`);
  const out = emptyOutcome(store);
  const candidates = new Set<number>();
  for (const subset of properSubsets(terms.length)) {
    // Sorted by time, a case of several words is also among each single word's newest: their k best suffice.
    const k = ex.sort === 'newest' && subset.length > 1 ? 0 : ex.k;
    const o = execute(store, { ...ex, k, mode: 'all', terms: subset.map((j) => terms[j]), boost: null }, f);
    const sign = subset.length % 2 === 1 ? 1 : -1;
    out.total += sign * o.total;
    if (ex.facets)
      for (const key of ['provider', 'category', 'status'] as const)
        for (let i = 0; i < o[key].length; i++) out[key][i] += sign * o[key][i];
    for (const ord of o.ords) candidates.add(ord);
  }
  const top = new TopK(ex.k);
  const { filedAt } = store;
  const codes = new Uint8Array(terms.length);
  for (const ord of candidates) {
    if (ex.sort === 'newest') top.offer(filedAt[ord], ord, ord);
    else {
      for (let j = 0; j < terms.length; j++) codes[j] = flagOf(terms[j], ord);
      top.offer(relaxedScore(store, terms, codes, ord), filedAt[ord], ord);
    }
  }
  out.ords = top.sorted();
  return out;
}

/** The non-empty proper subsets of {0 … n−1}, as lists of indexes in order. */
function properSubsets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < (1 << n) - 1; mask++) out.push([...Array(n).keys()].filter((j) => mask & (1 << j)));
  return out;
}

/** The term's flags for a case; 0 when the case is not on its list. */
function flagOf(term: TermPlan, ord: number): number {
  const at = findOrd(term.ords, term.ords.length, ord);
  return at < 0 ? 0 : term.flags[at];
}
