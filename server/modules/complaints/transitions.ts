// The one place a complaint's status changes. Inside the caller's transaction it writes, together or not at all:
// the status and clocks, one append-only timeline event, the change hooks, the forwarding plan (on approval) and the
// notifications. Callers have already checked canTransition and read the input.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { Conflict } from '../../lib/errors.ts';
import type { Provider } from '../providers/schema.ts';
import { policyFor, type SlaOverrides } from '../sla/deadlines.ts';
import { clocksAfter } from '../sla/transition-clocks.ts';
import type { ComplaintHooks } from './hooks.ts';
import { messagesFor, type Audience } from './lifecycle-messages.ts';
import { complaintEvents, complaints, type Complaint } from './schema.ts';
import { stateConflictMessage, type EventRole, type LifecycleEvent, type Status } from './states.ts';

/** Part of the forwarding module this needs: one delivery per provider channel, planned in the approving transaction. */
export interface ForwardingPort { planDeliveries(tx: Db, ctx: Ctx, complaintId: number, opts?: { round?: string }): unknown }
/** Part of the notifications module this needs: a message queued in the outbox, in the same transaction. */
export interface NotificationsPort {
  notify(tx: Db, ctx: Ctx, n: { complaintId: number; audience: Audience; kind: string; subject: string; text: string }): unknown;
}

export interface TransitionDeps {
  hooks: ComplaintHooks;
  slaOverrides: SlaOverrides;
  forwarding: ForwardingPort;
  notifications: NotificationsPort;
}

export interface TransitionRecord {
  actorRole: EventRole;
  actorId: number | null;
  body: string | null;
  data?: Record<string, unknown> | null;
  internal?: boolean;
}

/** Queues the messages an event calls for. Used by transitions and by the scheduler's warnings and breaches. */
export function notifyFor(deps: TransitionDeps, tx: Db, ctx: Ctx, c: Complaint, provider: Provider, event: string, body: string | null, dueAt?: number | null): void {
  const messages = messagesFor({
    event, reference: c.reference, title: c.title, providerName: provider.name, providerHotline: provider.hotline, body, dueAt,
  });
  for (const m of messages) deps.notifications.notify(tx, ctx, { complaintId: c.id, ...m });
}

export function applyTransition(
  deps: TransitionDeps, tx: Db, ctx: Ctx, c: Complaint, provider: Provider, event: LifecycleEvent, to: Status, record: TransitionRecord,
): { complaint: Complaint; eventId: number } {
  const now = ctx.clock.now();
  const clocks = clocksAfter(c, { event, from: c.status, to }, now, policyFor(c.category, deps.slaOverrides));
  // Guarded by the status read: a change that raced this one makes this one a conflict, not a silent overwrite.
  const updated = tx.update(complaints).set({ ...clocks, status: to, updatedAt: now })
    .where(and(eq(complaints.id, c.id), eq(complaints.status, c.status))).returning().get();
  if (!updated) throw new Conflict(stateConflictMessage(c.status), 'INVALID_STATE');
  const ev = tx.insert(complaintEvents).values({
    complaintId: c.id, type: event, actorRole: record.actorRole, actorId: record.actorId, body: record.body,
    status: to, data: record.data ?? null, internal: record.internal ?? false, createdAt: now,
  }).returning({ id: complaintEvents.id }).get();
  deps.hooks.run(tx, ctx, { complaintId: c.id, event, from: c.status, to });
  if (event === 'approve') deps.forwarding.planDeliveries(tx, ctx, c.id);
  // A reopen goes back to the provider through every channel again, as a new round.
  if (event === 'reopen') deps.forwarding.planDeliveries(tx, ctx, c.id, { round: `reopen-${ev.id}` });
  if (!record.internal) notifyFor(deps, tx, ctx, updated, provider, event, record.body);
  return { complaint: updated, eventId: ev.id };
}
