// The admin's side of moderation: the review queue (submitted complaints, oldest first, with their files) and the
// dashboard's counts and overdue list. Admin only; anyone else gets 404. Approving and rejecting are lifecycle events.
import { asc, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, SYSTEM, type Ctx } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import { providers } from '../providers/schema.ts';
import { users } from '../accounts/schema.ts';
import { attachments, complaints, type Attachment } from '../complaints/schema.ts';
import { scoped } from '../complaints/scope.ts';
import { OPEN_WITH_PROVIDER } from '../complaints/states.ts';
import { moderationWaitLine } from './view-model.ts';

export const QUEUE_PAGE = 50;

function requireAdmin(ctx: Ctx) {
  const actor = requireActor(ctx);
  if (actor.role !== 'admin') throw new NotFound();
  return actor;
}

/** How many recent decisions the estimate looks at, and how far back through the timeline it may read for them. */
const ESTIMATE_DECISIONS = 200;
const ESTIMATE_SCAN_EVENTS = 50_000;
const ESTIMATE_CACHE_MS = 5 * 60_000;

export interface ModerationEstimate {
  /** Complaints waiting for review now. */
  queued: number;
  /** Median time from filing to the moderator's decision over the recent decisions; null without history. */
  medianMs: number | null;
  decisions: number;
}

export function moderationService(db: Db) {
  let cached: { at: number; value: ModerationEstimate } | null = null;
  return {
    /**
     * What a consumer who just filed is told about the wait: the queue now and the median review time of the recent
     * decisions (read from the newest timeline rows only, so it costs the same on a board of a million cases).
     */
    /** The sentence a consumer whose complaint waits for review reads (moderation/view-model.ts words it). */
    waitLine(now: number): string {
      return moderationWaitLine(this.estimate(now));
    },

    estimate(now: number): ModerationEstimate {
      if (cached && now - cached.at < ESTIMATE_CACHE_MS) return cached.value;
      const delays = db
        .all<{ ms: number }>(
          sql`SELECT e.created_at - c.created_at AS ms FROM complaint_events e JOIN ${complaints} c ON c.id = e.complaint_id
            WHERE e.id > (SELECT coalesce(max(id), 0) - ${ESTIMATE_SCAN_EVENTS} FROM complaint_events)
              AND e.type IN ('approve', 'reject') AND ${scoped(SYSTEM)}
            ORDER BY e.id DESC LIMIT ${ESTIMATE_DECISIONS}`,
        )
        .map((r) => r.ms)
        .filter((ms) => ms >= 0)
        .sort((a, b) => a - b);
      const queued = db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM ${complaints} WHERE ${scoped(SYSTEM, eq(complaints.status, 'submitted'))}`,
      ).n;
      const medianMs = delays.length ? delays[Math.floor((delays.length - 1) / 2)] : null;
      const value = { queued, medianMs, decisions: delays.length };
      cached = { at: now, value };
      return value;
    },

    queue(ctx: Ctx) {
      const actor = requireAdmin(ctx);
      const where = scoped(actor, eq(complaints.status, 'submitted'));
      const rows = db
        // Whether the consumer proved their address: the queue marks those who have not (未验证邮箱).
        .select({ complaint: complaints, provider: providers, consumerVerifiedAt: users.emailVerifiedAt })
        .from(complaints)
        .innerJoin(providers, eq(providers.id, complaints.providerId))
        .innerJoin(users, eq(users.id, complaints.userId))
        .where(where)
        .orderBy(asc(complaints.createdAt), asc(complaints.id))
        .limit(QUEUE_PAGE)
        .all();
      const ids = rows.map((r) => r.complaint.id);
      const files = ids.length
        ? db.select().from(attachments).where(inArray(attachments.complaintId, ids)).orderBy(asc(attachments.id)).all()
        : [];
      const byComplaint = new Map<number, Attachment[]>();
      for (const f of files) byComplaint.set(f.complaintId, [...(byComplaint.get(f.complaintId) ?? []), f]);
      const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${complaints} WHERE ${where}`).n;
      return { total, items: rows.map((r) => ({ ...r, files: byComplaint.get(r.complaint.id) ?? [] })) };
    },

    dashboard(ctx: Ctx) {
      const actor = requireAdmin(ctx);
      const open = sql`${complaints.status} IN (${sql.join(
        OPEN_WITH_PROVIDER.map((s) => sql`${s}`),
        sql`, `,
      )})`;
      const overdue = or(isNotNull(complaints.firstResponseBreachedAt), isNotNull(complaints.resolutionBreachedAt))!;
      const count = (cond: ReturnType<typeof sql>) =>
        db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${complaints} WHERE ${scoped(actor, cond)}`).n;
      const overdueOpen = db
        .select({ complaint: complaints, provider: providers })
        .from(complaints)
        .innerJoin(providers, eq(providers.id, complaints.providerId))
        .where(scoped(actor, open, overdue))
        .orderBy(desc(complaints.updatedAt))
        .limit(50)
        .all();
      return {
        queued: count(sql`${complaints.status} = 'submitted'`),
        open: count(open),
        overdueOpen: count(sql`${open} AND ${overdue}`),
        overdueItems: overdueOpen,
      };
    },
  };
}

export type ModerationService = ReturnType<typeof moderationService>;
