// Reading the board: every verb here returns public views (PublicCase) or search hits built from them, and reads
// only public_cases and the search index (and complaints.reference, to find a public case by the number its consumer
// quotes). No actor is needed and none is consulted: nothing here is private.
import { LRUCache } from 'lru-cache';
import type { Sqlite } from '../../db/database.ts';
import { Doorkeeper } from '../../lib/doorkeeper.ts';
import { NotFound } from '../../lib/errors.ts';
import { JUDGED, type Status } from '../complaints/states.ts';
import type { SearchHit, SearchIndex, SearchQuery, SearchResult } from '../search/types.ts';
import type { PublicCase } from './public-case.ts';
import { referenceIn, referenceLookup } from './reference-lookup.ts';

export interface OutcomeStats {
  /** How many similar cases the statistics are based on, and how many of them have ended. */
  basedOn: number;
  concluded: number;
  shareResolved: number | null;
  medianDaysToResolution: number | null;
  shareRefunded: number | null;
}

export interface SimilarResult {
  items: SearchHit[];
  outcomes: OutcomeStats;
}
type SimilarDraftInput = { provider?: string; category?: string; title: string; body: string; excludeId?: number };

/** Statistics beside similar cases come from this many of the most similar ones; the page shows the first few. */
const OUTCOME_POOL = 50;

// These two read a few columns of dozens of cases (a JSON array of ids): from the narrow outcome index (migration
// 0010), which SQLite's page cache holds, not from the table's rows, whose pages (a document each) are read from disk
// again and again on a large board.
export const LIVE_SQL = `SELECT complaint_id AS id FROM public_cases INDEXED BY public_cases_outcome_idx
  WHERE complaint_id IN (SELECT value FROM json_each(?))`;
export const OUTCOME_SQL = `SELECT complaint_id AS id, status, overdue, resolved, refunded, resolution_days AS days
  FROM public_cases INDEXED BY public_cases_outcome_idx WHERE complaint_id IN (SELECT value FROM json_each(?))`;
/**
 * A case page asks for the cases like it on every view, and the answer barely moves: the pool (which cases, in which
 * order) is kept per case and text for this long. What can change at once is re-read on every answer: whether each case
 * is still public (a takedown shows everywhere immediately), its status, overdue flag and outcome.
 */
export const SIMILAR_POOL_TTL_MS = 60_000;
const SIMILAR_POOL_ENTRIES = 2_000;

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round((s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) * 10) / 10;
}

/** The stored JSON texts of public views by id, in the order given (missing ones skipped): one statement per call. */
export function publicDocs(sqlite: Sqlite): (ids: number[]) => string[] {
  const stmt = sqlite.prepare(
    'SELECT complaint_id AS id, doc FROM public_cases WHERE complaint_id IN (SELECT value FROM json_each(?))',
  );
  return (ids) => {
    if (ids.length === 0) return [];
    const byId = new Map((stmt.all(JSON.stringify(ids)) as { id: number; doc: string }[]).map((r) => [r.id, r.doc]));
    return ids.map((id) => byId.get(id)).filter((d): d is string => !!d);
  };
}

export function boardReader(sqlite: Sqlite, index: () => SearchIndex, now: () => number = Date.now) {
  // Hot paths: statements prepared once, ids passed as one JSON array.
  const liveStmt = sqlite.prepare(LIVE_SQL).pluck();
  const docStmt = sqlite.prepare('SELECT doc, version FROM public_cases WHERE complaint_id = ?');
  const versionStmt = sqlite.prepare('SELECT version FROM public_cases WHERE complaint_id = ?').pluck();
  const manyRaw = publicDocs(sqlite);
  const recentStmt = sqlite
    .prepare('SELECT doc FROM public_cases ORDER BY filed_at DESC, complaint_id DESC LIMIT ?')
    .pluck();
  const recentByProviderStmt = sqlite
    .prepare('SELECT doc FROM public_cases WHERE provider_id = ? ORDER BY filed_at DESC, complaint_id DESC LIMIT ?')
    .pluck();
  const byReference = referenceLookup(sqlite);
  const outcomeStmt = sqlite.prepare(OUTCOME_SQL);
  const pools = new LRUCache<string, { at: number; hits: SearchHit[] }>({ max: SIMILAR_POOL_ENTRIES });
  // A case's pool is kept once its panel is asked again within the pool's lifetime: most of a large board's pages are
  // read once in a while, and 2,000 pools of 50 hits read once each were a third of the heap.
  const poolAdmission = new Doorkeeper<number>(SIMILAR_POOL_TTL_MS, 50_000, now);

  async function similarPool(draft: SimilarDraftInput): Promise<SearchHit[]> {
    // Only a public case's own panel repeats; a draft typed on the form is asked about once.
    if (draft.excludeId === undefined) return index().similar(draft, OUTCOME_POOL);
    const key = JSON.stringify([
      draft.provider ?? '',
      draft.category ?? '',
      draft.title,
      draft.body,
      draft.excludeId ?? 0,
    ]);
    const cached = pools.get(key);
    if (cached && now() - cached.at < SIMILAR_POOL_TTL_MS) return cached.hits;
    const hits = await index().similar(draft, OUTCOME_POOL);
    if (cached || poolAdmission.admit(draft.excludeId)) pools.set(key, { at: now(), hits });
    return hits;
  }

  /** The ids among these that are public right now: a takedown shows everywhere at once, before the index catches up. */
  function stillPublic(ids: number[]): Set<number> {
    return ids.length === 0 ? new Set() : new Set(liveStmt.all(JSON.stringify(ids)) as number[]);
  }

  function raw(id: number): { doc: string; version: number } {
    const row =
      Number.isSafeInteger(id) && id > 0
        ? (docStmt.get(id) as { doc: string; version: number } | undefined)
        : undefined;
    if (!row) throw new NotFound('找不到该案例，它可能未公开或已被撤下');
    return row;
  }

  return {
    async search(q: SearchQuery): Promise<SearchResult> {
      const reference = referenceIn(q.q);
      const found = reference ? byReference(reference, q) : null;
      if (found) return found;
      const result = await index().search(q);
      const live = stillPublic(result.items.map((h) => h.id));
      const items = result.items.filter((h) => live.has(h.id));
      return { ...result, items, total: Math.max(0, result.total - (result.items.length - items.length)) };
    },

    get(id: number): PublicCase {
      return JSON.parse(raw(id).doc) as PublicCase;
    },

    /** The stored JSON text of a public case and its version, for answers that need not parse it. */
    raw,

    /** The current version of a public case (null when it is not public): the key of cached pages. */
    version(id: number): number | null {
      return Number.isSafeInteger(id) && id > 0 ? ((versionStmt.get(id) as number | undefined) ?? null) : null;
    },

    /** Public views by id, in the order given (missing ones skipped). */
    many(ids: number[]): PublicCase[] {
      return manyRaw(ids).map((d) => JSON.parse(d) as PublicCase);
    },

    /** The stored JSON texts of public views by id, in the order given (missing ones skipped). */
    manyRaw,

    /** Newest first, optionally for one provider. */
    recent(opts: { providerId?: number; limit: number }): PublicCase[] {
      const docs = (
        opts.providerId === undefined
          ? recentStmt.all(opts.limit)
          : recentByProviderStmt.all(opts.providerId, opts.limit)
      ) as string[];
      return docs.map((d) => JSON.parse(d) as PublicCase);
    },

    /** How many cases the board holds, as the search index counts them (counting a million rows per page view would not do). */
    count(): Promise<number> {
      return index().count();
    },

    /** The most similar public cases (same provider and category preferred), with what happened in cases like these. */
    async similar(draft: SimilarDraftInput, limit: number): Promise<SimilarResult> {
      const pool = await similarPool(draft);
      const rows = pool.length
        ? (outcomeStmt.all(JSON.stringify(pool.map((h) => h.id))) as {
            id: number;
            status: string;
            overdue: number;
            resolved: number;
            refunded: number;
            days: number | null;
          }[])
        : [];
      const current = new Map(rows.map((r) => [r.id, r]));
      const concluded = rows.filter((r) => JUDGED.includes(r.status as Status));
      const resolvedDays = concluded.filter((r) => r.resolved && r.days !== null).map((r) => r.days!);
      return {
        items: pool
          .filter((h) => current.has(h.id))
          .slice(0, limit)
          .map((h) => {
            const r = current.get(h.id)!;
            return { ...h, status: r.status, overdue: !!r.overdue };
          }),
        outcomes: {
          basedOn: rows.length,
          concluded: concluded.length,
          shareResolved: concluded.length
            ? Math.round((concluded.filter((r) => r.resolved).length / concluded.length) * 1000) / 1000
            : null,
          medianDaysToResolution: median(resolvedDays),
          shareRefunded: concluded.length
            ? Math.round((concluded.filter((r) => r.refunded).length / concluded.length) * 1000) / 1000
            : null,
        },
      };
    },
  };
}

export type BoardReader = ReturnType<typeof boardReader>;
