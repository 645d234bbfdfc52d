// Cases like a draft complaint: an OR over the draft's most informative words (tf × idf; stop words, single
// characters, numbers, dates and generic complaint words left out: similar-words.ts), each matching case scoring the idf of the words it shares (a little more in its title),
// then raised for the same provider and the same category.
import type { ColumnStore } from './columns.ts';
import { idf } from './ranking.ts';
import type { PostingCache, TermList } from './postings.ts';
import { topSimilar } from './similar-merge.ts';
import { similarityWeights } from '../similar-words.ts';

/** How many of a draft's words are looked up, the most informative first. */
const SIMILAR_TERMS = 8;
/**
 * Words in more than this share of cases say little about a case (支付, 用户, 退款 …) and cost the most to score; a
 * small board (fewer than COMMON_MIN_DF cases per word) has no common words in this sense.
 */
const COMMON_SHARE = 0.03;
const COMMON_MIN_DF = 1000;
/** Whether similar() leaves a word in `df` of `n` cases out as too common (warm-up.ts probes with the others). */
export const tooCommonForSimilar = (df: number, n: number): boolean => df > Math.max(COMMON_SHARE * n, COMMON_MIN_DF);
/**
 * Scoring cost cap: the doclist lengths of the chosen words add up to at most this many entries. A case page's similar
 * cases are asked for on every view: a call scores about 33,000 entries on average at 1,000,000 cases and costs
 * 1.5–2.0 ms in all (scripts/bench-similar.ts; similar-merge.ts scores them a cache-sized block of ords at a time).
 */
const POSTINGS_BUDGET = 60_000;

export interface SimilarInput {
  titleWords: string[];
  bodyWords: string[];
  provider: number;
  category: number;
  excludeOrd: number;
}

/** A draft as similar() scores it: its words, and its provider, category and own case (excluded) by code and ord. */
export function similarInput(
  store: ColumnStore,
  draft: { provider?: string; category?: string },
  titleWords: string[],
  bodyWords: string[],
  excludeOrd: number | undefined,
): SimilarInput {
  return {
    titleWords,
    bodyWords,
    provider: draft.provider ? (store.providers.codes.get(draft.provider) ?? -1) : -1,
    category: draft.category ? (store.categories.codes.get(draft.category) ?? -1) : -1,
    excludeOrd: excludeOrd ?? -1,
  };
}

/** The draft's chosen words (none when it has no word the board knows), their doclists and idfs, for topSimilar. */
export interface SimilarPlan {
  terms: string[];
  lists: TermList[];
  idfs: number[];
}

export function planSimilar(store: ColumnStore, cache: PostingCache, input: SimilarInput): SimilarPlan {
  const n = Math.max(1, store.aliveCount);
  const tf = similarityWeights(input.titleWords, input.bodyWords);
  const ranked = [...tf]
    .map(([term, count]) => ({ term, df: cache.docFreq(term), count }))
    .filter((t) => t.df > 0)
    // df counts removed cases still in the list: against the live count alone a word's idf could fall to zero or
    // below on a small board, and a negative weight would break the merge's bound (score × MAX_BOOST).
    .map((t) => ({ ...t, idf: idf(t.df, Math.max(n, t.df)) }))
    .map((t) => ({ term: t.term, df: t.df, idf: t.idf, weight: t.count * t.idf }))
    .sort((a, b) => b.weight - a.weight);
  const chosen: typeof ranked = [];
  let postings = 0;
  for (const t of ranked) {
    if (chosen.length === SIMILAR_TERMS) break;
    if (tooCommonForSimilar(t.df, n) || postings + t.df > POSTINGS_BUDGET) continue;
    chosen.push(t);
    postings += t.df;
  }
  // A draft made only of common words still gets an answer, from its two rarest ones (scoring a word in a third of
  // all cases would cost more than everything else on the page).
  for (const t of [...ranked].sort((a, b) => a.df - b.df)) if (chosen.length < 2 && !chosen.includes(t)) chosen.push(t);
  return {
    terms: chosen.map((c) => c.term),
    lists: chosen.map((c) => cache.get(c.term)),
    idfs: chosen.map((c) => c.idf),
  };
}

/** The k best cases for a draft, scored on the calling thread (the warm-up's probe and tests; a server's similar()
 *  scores through similar-scorer.ts, which answers the same). */
export function similarOrds(
  store: ColumnStore,
  cache: PostingCache,
  input: SimilarInput,
  k: number,
): { ords: number[]; terms: string[] } {
  const plan = planSimilar(store, cache, input);
  if (plan.terms.length === 0 || k === 0) return { ords: [], terms: [] };
  return { ords: topSimilar(store, plan.lists, plan.idfs, input, k), terms: plan.terms };
}
