// The default search backend: SQLite FTS5 over pre-segmented text, with the filter columns and hot doclists held in
// memory so that a query for a term in 30% of a million cases still answers in milliseconds (sqlite/execute.ts has
// the ranking; README.md the design and its limits).
import type Database from 'better-sqlite3';
import { termMatcher } from './highlight.ts';
import { indexTokens, joinTokens, queryTerms, queryWords, wordParts } from './segment.ts';
import { ColumnStore } from './sqlite/columns.ts';
import { planTerm } from './sqlite/plan-term.ts';
import { facetsOf, toHit } from './sqlite/hits.ts';
import { runWords } from './sqlite/run-words.ts';
import { PostingCache } from './sqlite/postings.ts';
import { ensureSchema } from './sqlite/schema.ts';
import { similarHits } from './sqlite/similar-hits.ts';
import { SimilarScorer, type SimilarScorerOptions } from './sqlite/similar-scorer.ts';
import type { DoclistReader } from './sqlite/doclist-reader.ts';
import { DoclistPrefetcher } from './sqlite/doclist-prefetch.ts';
import { ProviderWordCache } from './provider-words.ts';
import { similarityWeights } from './similar-words.ts';
import { warmProbes, warmUp, warmWithoutPauses } from './sqlite/warm-up.ts';
import { SearchTables } from './sqlite/store.ts';
import { filtersFor } from './sqlite/filters.ts';
import {
  MAX_RESULT_WINDOW,
  clampInt,
  type CaseDoc,
  type SearchHit,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type SimilarDraft,
  type WarmControl,
  type WarmOptions,
} from './types.ts';

export interface SqliteSearchOptions {
  /** Memory for cached doclists. The default holds every doclist of a million generated cases (about 250 MB). */
  cacheBytes?: number;
  /** Terms in at least this many cases get membership bitsets and the one-word fast path. Default: the larger of
   *  4096 and 1/32 of the collection (a bitset then costs at most as much memory as the doclist itself). */
  bitsetMinDocs?: number;
  /** When similar() scores in its own thread (sqlite/similar-scorer.ts). */
  similar?: SimilarScorerOptions;
}

/** Words of a query beyond this are ignored (Meilisearch has the same limit). */
const MAX_QUERY_WORDS = 10;

export class SqliteSearchIndex implements SearchIndex {
  readonly name = 'sqlite' as const;
  private store = new ColumnStore();
  private tables!: SearchTables;
  private cache!: PostingCache;
  private generation = -1;
  private dataVersion = -1;
  private epoch = -1;
  private removalSeq = 0;
  /** The warm-up's reader thread while it runs; close() ends it. */
  private reader: DoclistReader | null = null;
  /** Reads the doclists a query needs and memory lacks in a thread, before the query runs (doclist-prefetch.ts). */
  private prefetch: DoclistPrefetcher | null = null;
  /** Scores similar() off the request thread on a large board (sqlite/similar-scorer.ts). */
  private readonly scorer: SimilarScorer;
  /** Alias text is the same for every case of a provider: segment it once. */
  private readonly aliasTokens = new ProviderWordCache();

  /**
   * The database handle is the caller's: close() leaves it open. Call upsert/remove outside the caller's own
   * transactions: memory follows this call's transaction, and an outer rollback would leave it ahead of the disk.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteSearchOptions = {},
  ) {
    this.scorer = new SimilarScorer(options.similar);
  }

  async init(): Promise<void> {
    ensureSchema(this.db);
    this.tables = new SearchTables(this.db);
    this.cache = new PostingCache(
      this.db,
      this.options.cacheBytes ?? 512 * 1024 * 1024,
      () => this.options.bitsetMinDocs ?? Math.max(4096, this.store.aliveCount >>> 5),
    );
    this.prefetch = new DoclistPrefetcher(this.db.memory ? null : this.db.name, this.cache);
    this.reload();
  }

  async upsert(docs: CaseDoc[]): Promise<void> {
    if (docs.length === 0) return;
    const segmented = docs.map((d) => ({
      d,
      title: indexTokens(d.title),
      body: indexTokens(d.body),
      aliases: this.aliasTokens.of(d.providerName, d.providerAliases),
    }));
    const applied: { old: number | undefined; ord: number; codes: [number, number, number] }[] = [];
    try {
      // IMMEDIATE takes the write lock first, so catching up inside it sees every other writer's cases, and the ords
      // this batch gets come right after them.
      this.db
        .transaction(() => {
          this.sync();
          for (const { d, title, body, aliases } of segmented) {
            const old = this.tables.delete(d.id);
            const codes: [number, number, number] = [
              this.tables.codeFor(this.store, 'provider', d.provider),
              this.tables.codeFor(this.store, 'category', d.category),
              this.tables.codeFor(this.store, 'status', d.status),
            ];
            this.tables.providerNames(this.store, codes[0], d.providerName, aliases);
            const ord = this.tables.insert(d, codes, body.length, [
              joinTokens(title),
              joinTokens(body),
              joinTokens(aliases),
            ]);
            applied.push({ old, ord, codes });
          }
          this.generation = this.tables.bumpGeneration();
        })
        .immediate();
    } catch (err) {
      this.tables.loadValues(this.store); // codes and names created in memory during the failed transaction
      throw err;
    }
    // Memory follows only once the transaction has committed, so a failed batch leaves memory and disk agreeing.
    applied.forEach(({ old, ord, codes }, i) => {
      const { d, title, body, aliases } = segmented[i];
      if (old !== undefined) this.store.kill(old);
      this.store.set(ord, {
        id: d.id,
        provider: codes[0],
        category: codes[1],
        status: codes[2],
        amountFen: d.amountFen,
        filedAt: d.filedAt,
        overdue: d.overdue,
        bodyLen: body.length,
      });
      this.cache.onInsert(ord, this.store.packed[ord], new Set([...title, ...body, ...aliases]), new Set(title));
    });
  }

  async remove(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const removed: number[] = [];
    this.db
      .transaction(() => {
        this.sync();
        for (const id of ids) {
          const ord = this.tables.delete(id);
          if (ord !== undefined) removed.push(ord);
        }
        this.generation = this.tables.bumpGeneration();
      })
      .immediate();
    for (const ord of removed) this.store.kill(ord);
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    // Caught up before the prefetch (new cases from elsewhere clear the cache) and after it (writes during the read).
    this.sync();
    const pageSize = clampInt(q.pageSize, 1, 100, 20);
    const page = clampInt(q.page, 1, Number.MAX_SAFE_INTEGER, 1);
    const offset = (page - 1) * pageSize;
    const k = offset >= MAX_RESULT_WINDOW ? 0 : Math.min(offset + pageSize, MAX_RESULT_WINDOW);
    const words = typeof q.q === 'string' ? queryTerms(q.q).slice(0, MAX_QUERY_WORDS) : [];
    await this.prefetch?.load(words);
    this.sync();
    const terms = words.map((w) => planTerm(this.store, this.cache, w));
    const filters = filtersFor(this.store, q);
    const sort = q.sort === 'newest' ? 'newest' : 'relevance';
    const { out, partial } = runWords(this.store, terms, { sort, k, facets: q.facets === true }, filters);
    const matcher = termMatcher(words.flatMap((w) => [w, ...wordParts(w)]));
    const items = out.ords.slice(offset, offset + pageSize).map((ord) => toHit(this.store, this.tables, ord, matcher));
    const facets = facetsOf(out, this.store, q.facets === true);
    return {
      total: out.total,
      page,
      pageSize,
      items,
      facets,
      match: partial ? 'partial' : 'all',
      unmatched: words.filter((_, i) => terms[i].ords.length === 0),
    };
  }

  async similar(draft: SimilarDraft, limit: number): Promise<SearchHit[]> {
    this.sync(); // as in search(): before the prefetch and after it
    const titleWords = queryWords(draft.title),
      bodyWords = queryWords(draft.body);
    await this.prefetch?.load(similarityWeights(titleWords, bodyWords).keys());
    this.sync();
    const sources = { store: this.store, cache: this.cache, tables: this.tables, scorer: this.scorer };
    return similarHits(sources, draft, { titleWords, bodyWords }, clampInt(limit, 0, 100, 5));
  }

  async count(): Promise<number> {
    this.sync();
    return this.store.aliveCount;
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      this.tables.clear();
      this.generation = this.tables.bumpGeneration();
    })();
    this.epoch = this.tables.epoch();
    this.removalSeq = 0;
    this.store.reset();
    this.cache.clear();
  }

  async close(): Promise<void> {
    await this.reader?.close();
    await this.prefetch?.close();
    await this.scorer.close();
    this.cache?.clear();
    this.store = new ColumnStore();
  }

  /** Merge FTS5 segments into one; worth running after a bulk load. */
  optimize(): void {
    this.db.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
  }

  /** The common words' doclists, bitsets and count cubes read ahead of their first query (sqlite/warm-up.ts). */
  warmUp(control: WarmControl, options: WarmOptions = {}): Promise<void> {
    const store = () => this.store;
    const target = { db: this.db, cache: this.cache, store, ...warmProbes(store, this.cache, this.scorer) };
    const attach = (r: DoclistReader | null) => {
      this.reader = r;
    };
    return warmUp({ ...target, attach }, control, options);
  }

  /** All of warmUp without yielding, for scripts (7–10 s for the ~400 words in 1% or more of a million cases). */
  warm(minDocShare = 0.01): Promise<number> {
    return warmWithoutPauses((control, options) => this.warmUp(control, options), minDocShare);
  }

  /** Whether a word's doclist is in memory, and with it its bitsets and count cubes (tests and diagnostics). */
  cached(term: string): { len: number; bitsets: boolean; cubes: boolean } | null {
    const list = this.cache.peek(term);
    return list ? { len: list.len, bitsets: list.bits !== null, cubes: list.cubes !== null } : null;
  }

  /** How many similar() drafts the similar-cases thread has scored (tests and diagnostics). */
  get similarInThread(): number {
    return this.scorer.scoredInThread;
  }

  /** Memory held by cached doclists (for the benchmark and diagnostics). */
  get cacheStats(): { terms: number; bytes: number } {
    return this.cache.stats;
  }

  /**
   * Another connection (a reindex run, a second process) changed the index: catch up from disk, new cases by ord and
   * removals from their log; after a clear() there, reload everything. Doclists are dropped when cases were added
   * (they would lack them) and re-read on demand.
   */
  private sync(): void {
    const dv = this.db.pragma('data_version', { simple: true }) as number;
    if (dv === this.dataVersion) return;
    this.dataVersion = dv;
    this.db.transaction(() => {
      // one snapshot for everything read below
      const generation = this.tables.generation();
      if (generation === this.generation) return;
      if (this.tables.epoch() !== this.epoch) {
        this.reload();
        return;
      }
      const { removalSeq, added } = this.tables.catchUp(this.store, this.removalSeq);
      this.removalSeq = removalSeq;
      if (added) this.cache.clear();
      this.generation = generation;
    })();
  }

  private reload(): void {
    this.db.transaction(() => {
      this.epoch = this.tables.epoch();
      this.removalSeq = this.tables.lastRemovalSeq();
      this.generation = this.tables.generation();
      this.store = this.tables.load();
    })();
    // Sorted orders now rather than in the first query (about 0.3 s at 1,000,000 cases).
    this.store.timeOrder();
    this.store.amountOrder();
    this.cache.clear();
    this.dataVersion = this.db.pragma('data_version', { simple: true }) as number;
  }
}
