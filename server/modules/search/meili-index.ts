// The Meilisearch backend (set MEILI_URL): the same SearchIndex contract on the official client. Query words are
// segmented by segment.ts before they are sent, so both backends see the same words and Meilisearch's own query
// operators (quotes for phrases, a leading minus for negation) cannot be triggered by user input.
import { Meilisearch, type Index, type SearchParams, type Task } from 'meilisearch';
import {
  FACETS,
  INDEX_SETTINGS,
  buildFilter,
  providerBoost,
  providerIn,
  toHit,
  toMeiliDoc,
  PRE_TAG,
  POST_TAG,
  type MeiliCase,
} from './meili-query.ts';
import { queryTerms, queryWords } from './segment.ts';
import { similarityWeights } from './similar-words.ts';
import {
  MAX_RESULT_WINDOW,
  clampInt,
  emptyFacets,
  type CaseDoc,
  type SearchHit,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type SimilarDraft,
} from './types.ts';

export interface MeiliSearchOptions {
  url: string;
  key?: string | null;
  /** Index uid; tests use a fresh one each. */
  indexUid?: string;
  /** How long a write waits for Meilisearch to apply it. */
  taskTimeoutMs?: number;
}

const SAME_PROVIDER_BOOST = 0.5;
const SAME_CATEGORY_BOOST = 0.25;
const SIMILAR_WORDS = 10;

export class MeiliSearchIndex implements SearchIndex {
  readonly name = 'meilisearch' as const;
  private readonly client: Meilisearch;
  private readonly uid: string;
  private readonly timeout: number;

  constructor(options: MeiliSearchOptions) {
    this.client = new Meilisearch({ host: options.url, apiKey: options.key ?? undefined });
    this.uid = options.indexUid ?? 'cases';
    this.timeout = options.taskTimeoutMs ?? 120_000;
  }

  private get index(): Index<MeiliCase> {
    return this.client.index<MeiliCase>(this.uid);
  }

  async init(): Promise<void> {
    const exists = await this.client.getIndex(this.uid).then(
      () => true,
      () => false,
    );
    if (!exists) await this.wait(this.client.createIndex(this.uid, { primaryKey: 'id' }));
    await this.wait(this.index.updateSettings(INDEX_SETTINGS));
  }

  async upsert(docs: CaseDoc[]): Promise<void> {
    if (docs.length === 0) return;
    await this.wait(this.index.addDocuments(docs.map(toMeiliDoc), { primaryKey: 'id' }));
  }

  async remove(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.wait(this.index.deleteDocuments(ids));
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    const pageSize = clampInt(q.pageSize, 1, 100, 20);
    const page = clampInt(q.page, 1, Number.MAX_SAFE_INTEGER, 1);
    const words = typeof q.q === 'string' ? queryTerms(q.q).slice(0, 10) : []; // Meilisearch reads 10 words at most
    const boost = providerBoost(words);
    const required = boost ? boost.rest : words;
    const text = required.length ? required.join(' ') : null;
    const beyondWindow = (page - 1) * pageSize >= MAX_RESULT_WINDOW;
    const params: SearchParams = {
      filter: buildFilter(q),
      // Facets are always computed: their status counts give an exact total past maxTotalHits.
      facets: FACETS,
      page: beyondWindow ? 1 : page,
      hitsPerPage: beyondWindow ? 0 : pageSize,
      sort: q.sort === 'newest' || !text ? ['filedAt:desc'] : undefined,
      matchingStrategy: 'all',
      attributesToHighlight: ['title', 'body'],
      attributesToCrop: ['body'],
      cropLength: 40,
      cropMarker: '…',
      highlightPreTag: PRE_TAG,
      highlightPostTag: POST_TAG,
    };
    let found =
      boost && q.sort !== 'newest'
        ? await this.boosted(
            text!,
            boost.slugs,
            q,
            params,
            beyondWindow ? 0 : (page - 1) * pageSize,
            beyondWindow ? 0 : pageSize,
          )
        : answerOf(await this.index.search<MeiliCase>(text, params));
    // No case has every word: fall back to cases with some of them (Meilisearch drops words from the end), provider
    // names included as words.
    const partial = found.total === 0 && words.length > 1;
    if (partial)
      found = answerOf(
        await this.index.search<MeiliCase>(words.join(' '), {
          ...params,
          sort: q.sort === 'newest' ? ['filedAt:desc'] : undefined,
          matchingStrategy: 'last',
        }),
      );
    // Which words no case has at all: asked only when the answer is partial (one small query per word).
    const unmatched = partial
      ? await this.wordsFoundNowhere(words)
      : words.length === 1 && found.total === 0 && !params.filter
        ? words
        : [];
    const { distribution, total } = found;
    const facets = q.facets
      ? {
          provider: { ...distribution.provider },
          category: { ...distribution.category },
          status: { ...distribution.status },
        }
      : emptyFacets();
    return {
      total,
      page,
      pageSize,
      items: beyondWindow ? [] : found.hits.map(toHit),
      facets,
      match: partial ? 'partial' : 'all',
      unmatched,
    };
  }

  /** The named providers' cases first, then everyone else's: two searches, the page cut across them. */
  private async boosted(
    text: string,
    slugs: string[],
    q: SearchQuery,
    params: SearchParams,
    offset: number,
    limit: number,
  ): Promise<Answer> {
    const common: SearchParams = { ...params, page: undefined, hitsPerPage: undefined };
    const first = answerOf(
      await this.index.search<MeiliCase>(text, {
        ...common,
        filter: buildFilter(q, [providerIn(slugs, false)]),
        offset,
        limit,
      }),
      true,
    );
    const rest = answerOf(
      await this.index.search<MeiliCase>(text, {
        ...common,
        filter: buildFilter(q, [providerIn(slugs, true)]),
        offset: Math.max(0, offset - first.total),
        limit: limit - first.hits.length,
      }),
      true,
    );
    const distribution: Answer['distribution'] = {};
    for (const d of [first.distribution, rest.distribution]) {
      for (const [facet, counts] of Object.entries(d)) {
        distribution[facet] ??= {};
        const into = distribution[facet];
        for (const [value, n] of Object.entries(counts)) into[value] = (into[value] ?? 0) + n;
      }
    }
    return { hits: [...first.hits, ...rest.hits], total: first.total + rest.total, distribution };
  }

  private async wordsFoundNowhere(words: string[]): Promise<string[]> {
    const found = await Promise.all(
      words.map((w) => this.index.search<MeiliCase>(w, { limit: 0, matchingStrategy: 'all' })),
    );
    return words.filter((_, i) => totalOf(found[i]) === 0);
  }

  async similar(draft: SimilarDraft, limit: number): Promise<SearchHit[]> {
    const k = clampInt(limit, 0, 100, 5);
    // Title words first and counted double; Meilisearch's 'frequency' strategy then drops the commonest words first,
    // which is an idf-weighted OR over the draft's words.
    const counts = similarityWeights(queryWords(draft.title), queryWords(draft.body));
    const words = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, SIMILAR_WORDS)
      .map(([w]) => w);
    if (words.length === 0 || k === 0) return [];
    const exclude = draft.excludeId === undefined ? [] : [`id != ${Math.trunc(draft.excludeId)}`];
    const common = {
      indexUid: this.uid,
      q: words.join(' '),
      limit: Math.max(k * 4, 20),
      matchingStrategy: 'frequency' as const,
      showRankingScore: true,
      attributesToHighlight: ['title', 'body'],
      attributesToCrop: ['body'],
      cropLength: 40,
      cropMarker: '…',
      highlightPreTag: PRE_TAG,
      highlightPostTag: POST_TAG,
    };
    // Two pools, so same-provider-and-category cases are candidates even when other providers crowd the first.
    const { results } = await this.client.multiSearch({
      queries: [
        { ...common, filter: buildFilter({}, exclude) },
        { ...common, filter: buildFilter({ provider: draft.provider, category: draft.category }, exclude) },
      ],
    });
    const best = new Map<number, { hit: MeiliCase; score: number }>();
    for (const r of results) {
      for (const h of r.hits as (MeiliCase & { _rankingScore?: number })[]) {
        const score =
          (h._rankingScore ?? 0) *
          (1 +
            (h.provider === draft.provider ? SAME_PROVIDER_BOOST : 0) +
            (h.category === draft.category ? SAME_CATEGORY_BOOST : 0));
        if ((best.get(h.id)?.score ?? -1) < score) best.set(h.id, { hit: h, score });
      }
    }
    return [...best.values()]
      .sort((a, b) => b.score - a.score || b.hit.filedAt - a.hit.filedAt)
      .slice(0, k)
      .map((b) => toHit(b.hit));
  }

  async count(): Promise<number> {
    return (await this.index.getStats()).numberOfDocuments;
  }

  async clear(): Promise<void> {
    await this.wait(this.index.deleteAllDocuments());
  }

  async close(): Promise<void> {
    // The client holds no connection of its own to release.
  }

  /** Delete the whole index (tests, and a reindex that starts from nothing). */
  async drop(): Promise<void> {
    await this.wait(this.client.deleteIndex(this.uid));
  }

  private async wait(enqueued: { waitTask: (o?: { timeout?: number }) => Promise<Task> }): Promise<void> {
    const task = await enqueued.waitTask({ timeout: this.timeout });
    if (task.status !== 'succeeded')
      throw new Error(`Meilisearch task ${task.uid} ${task.status}: ${task.error?.message ?? 'no detail'}`);
  }
}

interface Answer {
  hits: MeiliCase[];
  total: number;
  distribution: Record<string, Record<string, number>>;
}

/** Hits, exact total and facet counts of a search; `byFacets` for offset/limit searches, which only estimate totals. */
function answerOf(
  res: { hits: MeiliCase[]; totalHits?: number; facetDistribution?: Record<string, Record<string, number>> },
  byFacets = false,
): Answer {
  const distribution = res.facetDistribution ?? {};
  const total = byFacets ? Object.values(distribution.status ?? {}).reduce((s, n) => s + n, 0) : totalOf(res);
  return { hits: res.hits, total, distribution };
}

function totalOf(res: { totalHits?: number; facetDistribution?: Record<string, Record<string, number>> }): number {
  const totalHits = res.totalHits ?? 0;
  if (totalHits < MAX_RESULT_WINDOW) return totalHits;
  // Capped at maxTotalHits: every case has exactly one status, so the status counts add up to the exact total.
  return Object.values(res.facetDistribution?.status ?? {}).reduce((s, n) => s + n, 0);
}
