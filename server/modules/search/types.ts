// The one interface every search backend implements. The board, the similar-cases panel and the reindex script
// talk only to this; which engine sits behind it is a deployment choice (SQLite FTS5 by default, Meilisearch with
// MEILI_URL).

/** One public case as the search engine sees it: built from the public view, never from raw complaint rows. */
export interface CaseDoc {
  id: number;
  title: string;
  /** Already anonymised text: description + supplements + provider replies + resolution. */
  body: string;
  /** Provider slug. */
  provider: string;
  providerName: string;
  /** Other names readers use for the provider (工行, ICBC, 花呗 …); indexed so an alias finds the provider's cases. */
  providerAliases: string[];
  category: string;
  status: string;
  amountFen: number;
  /** Epoch ms. */
  filedAt: number;
  overdue: boolean;
}

export interface SearchQuery {
  q?: string;
  provider?: string;
  category?: string;
  status?: string;
  /** Epoch ms, filedAt range: inclusive `from`, exclusive `to`. */
  from?: number;
  to?: number;
  /** Inclusive, in fen. */
  amountMin?: number;
  amountMax?: number;
  sort: 'relevance' | 'newest';
  /** 1-based. */
  page: number;
  pageSize: number;
  facets?: boolean;
}

export interface SearchHit {
  id: number;
  title: string;
  /**
   * Already-escaped HTML: the title with HTML special characters escaped first, then query terms wrapped in
   * <mark>…</mark>. Render it as HTML as-is (Handlebars triple-stash); never escape it again, never build it by hand.
   */
  titleHighlighted: string;
  /** Already-escaped HTML, like titleHighlighted: a window of about 80 characters of the body around the first hit. */
  snippet: string;
  provider: string;
  providerName: string;
  category: string;
  status: string;
  amountFen: number;
  filedAt: number;
  overdue: boolean;
}

export interface SearchResult {
  total: number;
  /** Set when `total` is a lower bound or an estimate rather than an exact count (Meilisearch past maxTotalHits). */
  totalIsEstimate?: boolean;
  page: number;
  pageSize: number;
  items: SearchHit[];
  /** Counts within the result set (every filter applied); empty objects when facets were not asked for. */
  facets: { provider: Record<string, number>; category: Record<string, number>; status: Record<string, number> };
  /** 'all': every query word is in each case; 'partial': no case had them all, these have some (more words first). */
  match: 'all' | 'partial';
  /** Query words that no case contains at all (filters aside). */
  unmatched: string[];
}

export interface SimilarDraft {
  provider?: string;
  category?: string;
  title: string;
  body: string;
  excludeId?: number;
}

export interface SearchIndex {
  readonly name: 'sqlite' | 'meilisearch';
  init(): Promise<void>;
  /** Insert or replace by id. Batched: one call is one transaction (SQLite) or one task (Meilisearch). */
  upsert(docs: CaseDoc[]): Promise<void>;
  remove(ids: number[]): Promise<void>;
  search(q: SearchQuery): Promise<SearchResult>;
  similar(doc: SimilarDraft, limit: number): Promise<SearchHit[]>;
  count(): Promise<number>;
  clear(): Promise<void>;
  close(): Promise<void>;
  /**
   * Backends that keep lists in memory (SQLite) read the common words' lists ahead of the first query for them, in
   * steps separated by `control.pause()` (warm-runner.ts runs it between requests). Rejects with what pause() threw.
   */
  warmUp?(control: WarmControl, options?: WarmOptions): Promise<void>;
}

export interface WarmOptions {
  /** Words in at least this share of live cases are warmed, the commonest first (default 0.01), plus provider aliases. */
  minDocShare?: number;
  /** At most this many words by share (default 500). */
  maxTerms?: number;
}

export interface WarmControl {
  /** Awaited after each step: returns at once while the time slice lasts, else after the event loop's next turn. */
  pause(): Promise<void>;
  /** Awaits work done elsewhere (another thread); the slice starts afresh when it is back. */
  wait<T>(work: Promise<T>): Promise<T>;
  progress(p: WarmProgress): void;
}

export interface WarmProgress {
  phase: 'vocabulary' | 'doclists' | 'probes';
  terms: number;
  total: number;
}

/** Deepest result a query may page to; deeper pages come back empty (both backends). */
export const MAX_RESULT_WINDOW = 10_000;

export const emptyFacets = (): SearchResult['facets'] => ({ provider: {}, category: {}, status: {} });

/** A whole number within [min, max] (page numbers and sizes, limits); fallback for anything that is not a number. */
export function clampInt(v: number, min: number, max: number, fallback: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(v)));
}
