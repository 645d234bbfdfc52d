// What other modules need of complaints as the platform itself (no person's scope): forwarding (the case it sends,
// the operator queue's titles), the board's publication decisions, the review of provider names (the complaints that
// name one, moving them on a merge) and the admin's account page (how many a person filed). Reached as
// `app.complaints.platform`, so those modules never query the complaints table; every query is `scoped(SYSTEM, …)`.
// A verb given a transaction (`tx`) runs in it; the prepared reads run on the one connection, inside whatever
// transaction is open there.
import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { SYSTEM } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import {
  attachments,
  complaintEvents,
  complaints,
  type Complaint,
  type Attachment,
  type ComplaintEvent,
} from './schema.ts';
import { scoped } from './scope.ts';
import type { Status } from './states.ts';

export interface ComplaintSummary {
  id: number;
  title: string;
  status: Status;
}

export function platformAccess(db: Db) {
  // The reads approval and publication decisions make on every call: prepared once. Statements on the app's one
  // connection run inside whatever transaction is open there, so the caller's transaction sees its own writes.
  const byId = db
    .select()
    .from(complaints)
    .where(scoped(SYSTEM, eq(complaints.id, sql.placeholder('id'))))
    .prepare();
  const eventsOf = db
    .select()
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, sql.placeholder('id')))
    .orderBy(asc(complaintEvents.id))
    .prepare();
  const filesOf = db
    .select()
    .from(attachments)
    .where(eq(attachments.complaintId, sql.placeholder('id')))
    .orderBy(asc(attachments.id))
    .prepare();

  return {
    /** The whole complaint; NotFound when there is none. */
    complaint(id: number): Complaint {
      const c = byId.get({ id });
      if (!c) throw new NotFound('找不到该投诉');
      return c;
    },

    /** Its timeline in order, staff notes and moderation decisions included. */
    events(id: number): ComplaintEvent[] {
      return eventsOf.all({ id });
    },

    /** The ids of its files, in the order they were added. */
    /** The complaint's attachments, oldest first (its detail page shows them). */
    files(id: number): Attachment[] {
      return filesOf.all({ id });
    },

    attachmentIds(id: number): number[] {
      return filesOf.all({ id }).map((a) => a.id);
    },

    /** Title and status of each of these complaints (those that exist), by id. */
    summaries(ids: readonly number[]): Map<number, ComplaintSummary> {
      if (!ids.length) return new Map();
      const rows = db
        .select({ id: complaints.id, title: complaints.title, status: complaints.status })
        .from(complaints)
        .where(scoped(SYSTEM, inArray(complaints.id, [...ids])))
        .all();
      return new Map(rows.map((c) => [c.id, c]));
    },

    /** Id and status of every complaint naming this provider, oldest first. */
    ofProvider(providerId: number, tx: Db = db): { id: number; status: Status }[] {
      return tx
        .select({ id: complaints.id, status: complaints.status })
        .from(complaints)
        .where(scoped(SYSTEM, eq(complaints.providerId, providerId)))
        .orderBy(asc(complaints.id))
        .all();
    },

    /** The accounts that filed complaints naming this provider. */
    filerIds(providerId: number, tx: Db = db): number[] {
      return tx
        .selectDistinct({ userId: complaints.userId })
        .from(complaints)
        .where(scoped(SYSTEM, eq(complaints.providerId, providerId)))
        .all()
        .map((r) => r.userId);
    },

    /** How many complaints name each of these providers (absent: none). */
    countsByProvider(providerIds: readonly number[]): Map<number, number> {
      if (!providerIds.length) return new Map();
      const rows = db
        .select({ id: complaints.providerId, n: count() })
        .from(complaints)
        .where(scoped(SYSTEM, inArray(complaints.providerId, [...providerIds])))
        .groupBy(complaints.providerId)
        .all();
      return new Map(rows.map((r) => [r.id, r.n]));
    },

    /** How many complaints this account filed. */
    countFiledBy(userId: number): number {
      return (
        db
          .select({ n: count() })
          .from(complaints)
          .where(scoped(SYSTEM, eq(complaints.userId, userId)))
          .get()?.n ?? 0
      );
    },

    /**
     * A provider name merged into another: its complaints now name the other. Only the column moves; the caller writes
     * the audit event and runs the hooks for each complaint (`ofProvider` before the move lists them).
     */
    moveToProvider(tx: Db, fromProviderId: number, toProviderId: number): void {
      tx.update(complaints)
        .set({ providerId: toProviderId })
        .where(scoped(SYSTEM, eq(complaints.providerId, fromProviderId)))
        .run();
    },
  };
}

export type PlatformAccess = ReturnType<typeof platformAccess>;
