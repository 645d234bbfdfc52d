// The merchant inbox: the staff member's own provider's complaints, soonest deadline first. Every query goes through
// scoped(actor, …): a provider's staff cannot list, see or act on another provider's complaints, by construction.
import { and, asc, desc, eq, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import { providers } from '../providers/schema.ts';
import { complaints } from '../complaints/schema.ts';
import { scoped } from '../complaints/scope.ts';
import type { InboxFilters } from './input.ts';

export const PAGE_SIZE = 50;

/** The deadline the provider works against now: first response until answered, then resolution (not while paused). */
const currentDue = sql<number | null>`CASE
  WHEN ${complaints.status} IN ('forwarded', 'in_progress', 'awaiting_consumer') AND ${complaints.firstResponseAt} IS NULL THEN ${complaints.firstResponseDueAt}
  WHEN ${complaints.status} IN ('forwarded', 'in_progress') AND ${complaints.resolutionPausedAt} IS NULL THEN ${complaints.resolutionDueAt}
END`;

export function merchantService(db: Db) {
  return {
    inbox(ctx: Ctx, filters: InboxFilters) {
      const actor = requireActor(ctx);
      if (actor.role !== 'provider_staff') throw new NotFound();
      const conds: SQL[] = [];
      if (filters.status) conds.push(eq(complaints.status, filters.status));
      if (filters.overdue === true) conds.push(or(isNotNull(complaints.firstResponseBreachedAt), isNotNull(complaints.resolutionBreachedAt))!);
      if (filters.overdue === false) conds.push(sql`${complaints.firstResponseBreachedAt} IS NULL AND ${complaints.resolutionBreachedAt} IS NULL`);
      const where = scoped(actor, ...conds);
      const rows = db.select({ complaint: complaints, provider: providers }).from(complaints)
        .innerJoin(providers, eq(providers.id, complaints.providerId)).where(where)
        // Cases with a running deadline first, soonest (most overdue) at the top; the rest newest first.
        .orderBy(sql`(${currentDue}) IS NULL`, asc(currentDue), desc(complaints.updatedAt), desc(complaints.id))
        .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE).all();
      const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${complaints} WHERE ${where}`).n;
      return { rows, total, page: filters.page, pageSize: PAGE_SIZE };
    },

    /** Counts for the inbox tabs, by status and overdue, for this staff member's provider only. */
    counts(ctx: Ctx) {
      const actor = requireActor(ctx);
      if (actor.role !== 'provider_staff') throw new NotFound();
      return db.select({ status: complaints.status, n: sql<number>`count(*)`, overdue: sql<number>`sum(${complaints.firstResponseBreachedAt} IS NOT NULL OR ${complaints.resolutionBreachedAt} IS NOT NULL)` })
        .from(complaints).where(and(scoped(actor))).groupBy(complaints.status).all();
    },
  };
}

export type MerchantService = ReturnType<typeof merchantService>;
