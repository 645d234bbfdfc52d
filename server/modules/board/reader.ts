// Reading the board: every verb here returns public views (PublicCase) or search hits built from them, and reads
// only public_cases and the search index. No actor is needed and none is consulted: nothing here is private.
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { NotFound } from '../../lib/errors.ts';
import type { SearchHit, SearchIndex, SearchQuery, SearchResult } from '../search/types.ts';
import type { PublicCase } from './public-case.ts';
import { publicCases } from './schema.ts';

export interface OutcomeStats {
  /** How many similar cases the statistics are based on, and how many of them have ended. */
  basedOn: number;
  concluded: number;
  shareResolved: number | null;
  medianDaysToResolution: number | null;
  shareRefunded: number | null;
}

export interface SimilarResult { items: SearchHit[]; outcomes: OutcomeStats }

const CONCLUDED = ['resolved', 'closed_unconfirmed', 'closed_unresolved'];
/** Statistics beside similar cases come from this many of the most similar ones; the page shows the first few. */
const OUTCOME_POOL = 50;

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round((s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) * 10) / 10;
}

export function boardReader(db: Db, index: () => SearchIndex) {
  /** The ids among these that are public right now: a takedown shows everywhere at once, before the index catches up. */
  function stillPublic(ids: number[]): Set<number> {
    if (ids.length === 0) return new Set();
    return new Set(db.select({ id: publicCases.complaintId }).from(publicCases).where(inArray(publicCases.complaintId, ids)).all().map((r) => r.id));
  }

  return {
    async search(q: SearchQuery): Promise<SearchResult> {
      const result = await index().search(q);
      const live = stillPublic(result.items.map((h) => h.id));
      const items = result.items.filter((h) => live.has(h.id));
      return { ...result, items, total: Math.max(0, result.total - (result.items.length - items.length)) };
    },

    get(id: number): PublicCase {
      if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound('找不到该案例');
      const row = db.select({ doc: publicCases.doc }).from(publicCases).where(eq(publicCases.complaintId, id)).get();
      if (!row) throw new NotFound('找不到该案例，它可能未公开或已被撤下');
      return row.doc;
    },

    /** Public views by id, in the order given (missing ones skipped). */
    many(ids: number[]): PublicCase[] {
      if (ids.length === 0) return [];
      const byId = new Map(db.select({ id: publicCases.complaintId, doc: publicCases.doc }).from(publicCases)
        .where(inArray(publicCases.complaintId, ids)).all().map((r) => [r.id, r.doc]));
      return ids.map((id) => byId.get(id)).filter((d): d is PublicCase => !!d);
    },

    /** Newest first, optionally for one provider; keyset paging by (filedAt, id). */
    recent(opts: { providerId?: number; limit: number; before?: { filedAt: number; id: number } }): PublicCase[] {
      const conds: SQL[] = [];
      if (opts.providerId !== undefined) conds.push(eq(publicCases.providerId, opts.providerId));
      if (opts.before) {
        conds.push(or(lt(publicCases.filedAt, opts.before.filedAt), and(eq(publicCases.filedAt, opts.before.filedAt), lt(publicCases.complaintId, opts.before.id)))!);
      }
      return db.select({ doc: publicCases.doc }).from(publicCases).where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(publicCases.filedAt), desc(publicCases.complaintId)).limit(opts.limit).all().map((r) => r.doc);
    },

    /** How many cases the board holds, as the search index counts them (counting a million rows per page view would not do). */
    count(): Promise<number> {
      return index().count();
    },

    /** The most similar public cases (same provider and category preferred), with what happened in cases like these. */
    async similar(draft: { provider?: string; category?: string; title: string; body: string; excludeId?: number }, limit: number): Promise<SimilarResult> {
      const pool = await index().similar(draft, OUTCOME_POOL);
      const ids = pool.map((h) => h.id);
      const rows = ids.length ? db.select({ id: publicCases.complaintId, status: publicCases.status, resolved: publicCases.resolved,
        refunded: publicCases.refunded, days: publicCases.resolutionDays }).from(publicCases).where(inArray(publicCases.complaintId, ids)).all() : [];
      const live = new Set(rows.map((r) => r.id));
      const concluded = rows.filter((r) => CONCLUDED.includes(r.status));
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
