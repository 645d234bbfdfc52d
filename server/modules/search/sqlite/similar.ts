// Cases like a draft complaint: an OR over the draft's most informative words (tf × idf; stop words, single
// characters, numbers, dates and generic complaint words left out: similar-words.ts), each matching case scoring the idf of the words it shares (a little more in its title),
// then raised for the same provider and the same category.
import type { ColumnStore } from './columns.ts';
import { idf } from './ranking.ts';
import { IN_TITLE } from './bits.ts';
import type { PostingCache } from './postings.ts';
import { TopK } from './top-k.ts';
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
 * cases are asked for on every view: at 1,000,000 cases 250,000 entries cost ~15 ms a call, 60,000 about a quarter.
 */
const POSTINGS_BUDGET = 60_000;
const SAME_PROVIDER_BOOST = 0.5;
const SAME_CATEGORY_BOOST = 0.25;
const TITLE_BONUS = 0.5;
/** The most both boosts can raise a score by. */
const MAX_BOOST = 1 + SAME_PROVIDER_BOOST + SAME_CATEGORY_BOOST;
/** Past every ord: a doclist whose end the merge has reached. */
const NO_ORD = 0x7fffffff;

export interface SimilarInput {
  titleWords: string[];
  bodyWords: string[];
  provider: number;
  category: number;
  excludeOrd: number;
}

export function similarOrds(
  store: ColumnStore,
  cache: PostingCache,
  input: SimilarInput,
  k: number,
): { ords: number[]; terms: string[] } {
  const n = Math.max(1, store.aliveCount);
  const tf = similarityWeights(input.titleWords, input.bodyWords);
  const ranked = [...tf]
    .map(([term, count]) => ({ term, df: cache.docFreq(term), count }))
    .filter((t) => t.df > 0)
    .map((t) => ({ term: t.term, df: t.df, idf: idf(t.df, n), weight: t.count * idf(t.df, n) }))
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
  if (chosen.length === 0 || k === 0) return { ords: [], terms: [] };

  // The chosen doclists (each sorted by ord) are merged, not scattered into a score array over every case: memory is
  // read in order, a case's score is complete when the merge passes it, and one that cannot reach the k best even
  // with both boosts is dropped before its columns are read. The sum adds the words in the order they were chosen,
  // as a term-at-a-time pass would, so the scores (and the order) are the same.
  const m = chosen.length;
  const lists = chosen.map((c) => cache.get(c.term));
  const lens = Int32Array.from(lists, (l) => l.len);
  const at = new Int32Array(m);
  const plain = Float64Array.from(chosen, (c) => c.idf);
  const titled = Float64Array.from(chosen, (c) => c.idf * (1 + TITLE_BONUS));
  const heads = new Int32Array(m).fill(NO_ORD);
  for (let j = 0; j < m; j++) if (lens[j] > 0) heads[j] = lists[j].ords[0];
  const top = new TopK(k);
  for (;;) {
    let ord = NO_ORD;
    for (let j = 0; j < m; j++) if (heads[j] < ord) ord = heads[j];
    if (ord === NO_ORD) break;
    let s = 0;
    for (let j = 0; j < m; j++) {
      if (heads[j] !== ord) continue;
      const i = at[j]++;
      s += lists[j].flags[i] & IN_TITLE ? titled[j] : plain[j];
      heads[j] = at[j] < lens[j] ? lists[j].ords[at[j]] : NO_ORD;
    }
    if (s * MAX_BOOST < top.floor || ord === input.excludeOrd || !store.isAlive(ord)) continue;
    s *=
      1 +
      (store.providerOf(ord) === input.provider ? SAME_PROVIDER_BOOST : 0) +
      (store.categoryOf(ord) === input.category ? SAME_CATEGORY_BOOST : 0);
    top.offer(s, store.filedAt[ord], ord);
  }
  return { ords: top.sorted(), terms: chosen.map((c) => c.term) };
}
