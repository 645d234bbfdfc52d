// similar()'s answer once the draft's words are in memory: the words chosen (similar.ts), the k best scored (in the
// similar-cases thread on a large board: similar-scorer.ts), and hits whose text is read only when shown (hits.ts).
import { termMatcher } from '../highlight.ts';
import type { SearchHit, SimilarDraft } from '../types.ts';
import type { ColumnStore } from './columns.ts';
import { toLazyHit } from './hits.ts';
import type { PostingCache } from './postings.ts';
import { planSimilar, similarInput } from './similar.ts';
import type { SimilarScorer } from './similar-scorer.ts';
import type { SearchTables } from './store.ts';

export interface SimilarSources {
  store: ColumnStore;
  cache: PostingCache;
  tables: SearchTables;
  scorer: SimilarScorer;
}

export async function similarHits(
  { store, cache, tables, scorer }: SimilarSources,
  draft: SimilarDraft,
  words: { titleWords: string[]; bodyWords: string[] },
  k: number,
): Promise<SearchHit[]> {
  const exclude = draft.excludeId === undefined ? undefined : tables.ordOf(draft.excludeId);
  const input = similarInput(store, draft, words.titleWords, words.bodyWords, exclude);
  const { terms, lists, idfs } = planSimilar(store, cache, input);
  if (terms.length === 0 || k === 0) return [];
  // A case removed while the thread scores is dropped by the board's reader, which re-reads what is public.
  const ords = await scorer.score(store, lists, idfs, input, k);
  const matcher = termMatcher(terms);
  return ords.map((ord) => toLazyHit(store, tables, ord, matcher));
}
