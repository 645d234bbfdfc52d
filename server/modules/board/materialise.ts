// Keeping public_cases and the scorecard sums in step with a complaint, inside the transaction that changed it.
// Runs as the platform (no actor): it reads one complaint's rows to rebuild what the public may see of it.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { users } from '../accounts/schema.ts';
import { attachments, complaintEvents, complaints } from '../complaints/schema.ts';
import { providers } from '../providers/schema.ts';
import { chinaDayStart, isPublishable, toPublicCase, type PublicCaseSource } from './public-case.ts';
import { isTakenDown } from './public-timeline.ts';
import { publicCases } from './schema.ts';
import { contributionOf } from './stats.ts';
import { applyContribution } from './stats-store.ts';

export type PublicationChange = 'published' | 'updated' | 'removed' | 'none';

export function loadSource(tx: Db, complaintId: number, secret: string): PublicCaseSource | null {
  const complaint = tx.select().from(complaints).where(eq(complaints.id, complaintId)).get();
  if (!complaint) return null;
  const provider = tx.select().from(providers).where(eq(providers.id, complaint.providerId)).get()!;
  const consumer = tx.select({ realName: users.realName, displayName: users.displayName, email: users.email, phone: users.phone })
    .from(users).where(eq(users.id, complaint.userId)).get()!;
  const events = tx.select().from(complaintEvents).where(eq(complaintEvents.complaintId, complaintId)).orderBy(asc(complaintEvents.id)).all();
  const attachmentNames = tx.select({ name: attachments.originalName }).from(attachments).where(eq(attachments.complaintId, complaintId)).all().map((a) => a.name);
  return { complaint, provider, consumer, events, attachmentNames, secret };
}

/** Writes or removes the case's public row. Consent, status and takedown decide; the builder decides the content. */
export function writePublicCase(tx: Db, src: PublicCaseSource, now: number): PublicationChange {
  const id = src.complaint.id;
  const existing = tx.select({ version: publicCases.version, publishedAt: publicCases.publishedAt }).from(publicCases)
    .where(eq(publicCases.complaintId, id)).get();
  if (!isPublishable(src.complaint) || isTakenDown(src.events)) {
    if (!existing) return 'none';
    tx.delete(publicCases).where(eq(publicCases.complaintId, id)).run();
    return 'removed';
  }
  const doc = toPublicCase(src);
  const row = {
    complaintId: id, providerId: src.complaint.providerId, category: doc.category, status: doc.status, amountFen: doc.amountFen,
    filedAt: chinaDayStart(src.complaint.createdAt), overdue: doc.overdue, resolved: doc.outcome.resolved,
    refunded: doc.outcome.refunded, resolutionDays: doc.outcome.daysToResolution,
    doc, version: (existing?.version ?? 0) + 1, publishedAt: existing?.publishedAt ?? now, updatedAt: now,
  };
  tx.insert(publicCases).values(row).onConflictDoUpdate({ target: publicCases.complaintId, set: row }).run();
  return existing ? 'updated' : 'published';
}

/** Everything the board keeps about one complaint, brought up to date. */
export function refreshCase(tx: Db, complaintId: number, secret: string, now: number): { publication: PublicationChange; statsChanged: boolean; lastEventId: number } | null {
  const src = loadSource(tx, complaintId, secret);
  if (!src) return null;
  const publication = writePublicCase(tx, src, now);
  const statsChanged = applyContribution(tx, complaintId, contributionOf(src.complaint, src.events));
  return { publication, statsChanged, lastEventId: src.events.at(-1)?.id ?? 0 };
}
