// Reading the board: every verb here returns public views (PublicCase) or search hits built from them, and reads
// only public_cases and the search index. No actor is needed and none is consulted: nothing here is private.
import type { Sqlite } from '../../db/database.ts';
import { NotFound } from '../../lib/errors.ts';
import { JUDGED, type Status } from '../complaints/states.ts';
import type { SearchHit, SearchIndex, SearchQuery, SearchResult } from '../search/types.ts';
import type { PublicCase } from './public-case.ts';

export interface OutcomeStats {
  /** How many similar cases the statistics are based on, and how many of them have ended. */
  basedOn: number;
  concluded: number;
  shareResolved: number | null;
  medianDaysToResolution: number | null;
  shareRefunded: number | null;
}

export interface SimilarResult { items: SearchHit[]; outcomes: OutcomeStats }

/** Statistics beside similar cases come from this many of the most similar ones; the page shows the first few. */
const OUTCOME_POOL = 50;

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round((s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) * 10) / 10;
}

export function boardReader(sqlite: Sqlite, index: () => SearchIndex) {
  // Hot paths: statements prepared once, ids passed as one JSON array.
  const liveStmt = sqlite.prepare('SELECT complaint_id AS id FROM public_cases WHERE complaint_id IN (SELECT value FROM json_each(?))').pluck();
  const docStmt = sqlite.prepare('SELECT doc, version FROM public_cases WHERE complaint_id = ?');
  const versionStmt = sqlite.prepare('SELECT version FROM public_cases WHERE complaint_id = ?').pluck();
  const manyStmt = sqlite.prepare('SELECT complaint_id AS id, doc FROM public_cases WHERE complaint_id IN (SELECT value FROM json_each(?))');
  const recentStmt = sqlite.prepare('SELECT doc FROM public_cases ORDER BY filed_at DESC, complaint_id DESC LIMIT ?').pluck();
  const recentByProviderStmt = sqlite.prepare('SELECT doc FROM public_cases WHERE provider_id = ? ORDER BY filed_at DESC, complaint_id DESC LIMIT ?').pluck();
  const outcomeStmt = sqlite.prepare(`SELECT complaint_id AS id, status, resolved, refunded, resolution_days AS days FROM public_cases
    WHERE complaint_id IN (SELECT value FROM json_each(?))`);

  /** The ids among these that are public right now: a takedown shows everywhere at once, before the index catches up. */
  function stillPublic(ids: number[]): Set<number> {
    return ids.length === 0 ? new Set() : new Set(liveStmt.all(JSON.stringify(ids)) as number[]);
  }

  function manyRaw(ids: number[]): string[] {
    if (ids.length === 0) return [];
    const byId = new Map((manyStmt.all(JSON.stringify(ids)) as { id: number; doc: string }[]).map((r) => [r.id, r.doc]));
    return ids.map((id) => byId.get(id)).filter((d): d is string => !!d);
  }

  function raw(id: number): { doc: string; version: number } {
    const row = Number.isSafeInteger(id) && id > 0 ? docStmt.get(id) as { doc: string; version: number } | undefined : undefined;
    if (!row) throw new NotFound('找不到该案例，它可能未公开或已被撤下');
    return row;
  }

  return {
    async search(q: SearchQuery): Promise<SearchResult> {
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
      return Number.isSafeInteger(id) && id > 0 ? (versionStmt.get(id) as number | undefined) ?? null : null;
    },

    /** Public views by id, in the order given (missing ones skipped). */
    many(ids: number[]): PublicCase[] {
      return manyRaw(ids).map((d) => JSON.parse(d) as PublicCase);
    },

    /** The stored JSON texts of public views by id, in the order given (missing ones skipped). */
    manyRaw,

    /** Newest first, optionally for one provider. */
    recent(opts: { providerId?: number; limit: number }): PublicCase[] {
      const docs = (opts.providerId === undefined ? recentStmt.all(opts.limit) : recentByProviderStmt.all(opts.providerId, opts.limit)) as string[];
      return docs.map((d) => JSON.parse(d) as PublicCase);
    },

    /** How many cases the board holds, as the search index counts them (counting a million rows per page view would not do). */
    count(): Promise<number> {
      return index().count();
    },

    /** The most similar public cases (same provider and category preferred), with what happened in cases like these. */
    async similar(draft: { provider?: string; category?: string; title: string; body: string; excludeId?: number }, limit: number): Promise<SimilarResult> {
      const pool = await index().similar(draft, OUTCOME_POOL);
      const rows = pool.length ? outcomeStmt.all(JSON.stringify(pool.map((h) => h.id))) as { id: number; status: string; resolved: number; refunded: number; days: number | null }[] : [];
      const live = new Set(rows.map((r) => r.id));
      const concluded = rows.filter((r) => JUDGED.includes(r.status as Status));
      const resolvedDays = concluded.filter((r) => r.resolved && r.days !== null).map((r) => r.days!);
      return {
        items: pool.filter((h) => live.has(h.id)).slice(0, limit),
        outcomes: {
          basedOn: rows.length,
          concluded: concluded.length,
          shareResolved: concluded.length ? Math.round((concluded.filter((r) => r.resolved).length / concluded.length) * 1000) / 1000 : null,
          medianDaysToResolution: median(resolvedDays),
          shareRefunded: concluded.length ? Math.round((concluded.filter((r) => r.refunded).length / concluded.length) * 1000) / 1000 : null,
        },
      };
    },
  };
}

export type BoardReader = ReturnType<typeof boardReader>;
