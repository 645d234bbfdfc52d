// The one place a complaint's status changes. Inside the caller's transaction it writes, together or not at all:
// the status and clocks, one append-only timeline event, the change hooks, the forwarding plan (on approval) and the
// notifications. Callers have already checked canTransition and read the input.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Actor, Ctx, SystemActor } from '../../lib/ctx.ts';
import { Conflict } from '../../lib/errors.ts';
import type { Provider } from '../providers/schema.ts';
import type { Clocks } from '../sla/deadlines.ts';
import type { DeadlinePolicy } from '../sla/policy.ts';
import { dueTimesOf } from '../sla/view-model.ts';
import { clocksAfter } from '../sla/transition-clocks.ts';
import type { ComplaintHooks } from './hooks.ts';
import { messagesFor, type Audience } from './lifecycle-messages.ts';
import { complaints, type Complaint } from './schema.ts';
import { stateConflictMessage, type LifecycleEvent, type Status } from './states.ts';
import type { Timeline } from './timeline.ts';

/** Part of the forwarding module this needs: one delivery per provider channel, planned in the approving transaction. */
export interface ForwardingPort {
  planDeliveries(tx: Db, ctx: Ctx, complaintId: number, opts?: { round?: string }): unknown;
}
/** Part of the notifications module this needs: a message queued in the outbox, in the same transaction. */
export interface NotificationsPort {
  notify(
    tx: Db,
    ctx: Ctx,
    n: {
      complaintId: number;
      audience: Audience;
      kind: string;
      subject: string;
      text: string;
      key?: string;
      complaint?: { userId: number; providerId: number; reference: string };
    },
  ): unknown;
}

export interface TransitionDeps {
  statements: TransitionStatements;
  timeline: Timeline;
  hooks: ComplaintHooks;
  /** Starts a complaint's clocks with its category's windows (config defaults and overrides). */
  deadlines: Pick<DeadlinePolicy, 'forCategory'>;
  forwarding: ForwardingPort;
  notifications: NotificationsPort;
}

export interface TransitionRecord {
  actor: Actor | SystemActor;
  body: string | null;
  data?: Record<string, unknown> | null;
  internal?: boolean;
}

/** Every column a transition may move: the status and the clocks. */
const CLOCK_COLUMNS = [
  'forwardedAt',
  'firstResponseAt',
  'firstResponseDueAt',
  'resolutionDueAt',
  'firstResponseWarnedAt',
  'resolutionWarnedAt',
  'firstResponseBreachedAt',
  'resolutionBreachedAt',
  'resolutionPausedAt',
  'resolutionPausedMs',
  'resolvedAt',
  'closedAt',
  'autoCloseAt',
  'nextDeadlineAt',
] as const satisfies readonly (keyof Clocks)[];

/**
 * The transition's status write, prepared once for the app's connection (it runs in the caller's transaction): the
 * scheduler applies hundreds of auto-closes in one tick. The update writes every clock column, changed or not, so one
 * statement serves every transition. Its timeline event goes through the timeline's own writer.
 */
export function transitionStatements(db: Db) {
  const p = (name: string) => sql.placeholder(name);
  const set = Object.fromEntries([...CLOCK_COLUMNS, 'status', 'updatedAt'].map((k) => [k, p(k)]));
  const update = db
    .update(complaints)
    .set(set)
    .where(and(eq(complaints.id, p('id')), eq(complaints.status, p('from'))))
    .returning()
    .prepare();
  return {
    /** Null when the status is no longer `from` (a change raced this one). */
    update(c: Complaint, patch: Partial<Clocks>, to: Status, now: number): Complaint | null {
      const values: Record<string, unknown> = { id: c.id, from: c.status, status: to, updatedAt: now };
      for (const k of CLOCK_COLUMNS) values[k] = k in patch ? patch[k] : c[k];
      return update.get(values) ?? null;
    },
  };
}
export type TransitionStatements = ReturnType<typeof transitionStatements>;

/**
 * Queues the messages an event calls for. Used by transitions and by the scheduler's warnings and breaches. The
 * event's id keys the mails, so asking twice for the same event reaches nobody twice.
 */
export function notifyFor(
  deps: TransitionDeps,
  tx: Db,
  ctx: Ctx,
  c: Complaint,
  provider: Provider,
  e: { id: number; type: string; body: string | null; dueAt?: number | null },
): void {
  const messages = messagesFor({
    event: e.type,
    reference: c.reference,
    title: c.title,
    providerName: provider.name,
    providerHotline: provider.hotline,
    body: e.body,
    dueAt: e.dueAt,
    due: dueTimesOf(c),
    autoCloseAt: c.autoCloseAt,
  });
  for (const m of messages)
    deps.notifications.notify(tx, ctx, { complaintId: c.id, ...m, key: `e${e.id}`, complaint: c });
}

/** What a recorded event sets off in other modules; the same whether applied at once or later from the outbox. */
export interface ChangeEffects {
  eventId: number;
  event: string;
  from: Status;
  to: Status;
  body: string | null;
  /** For warnings and breaches: the due time concerned (it goes into the mails). */
  dueAt?: number | null;
}

/**
 * The effects of one recorded event, inside the caller's transaction: the change hooks (board, search sync), the
 * forwarding plan on approval and reopen, and the notifications its type calls for. Each is idempotent for the same
 * event (the board rebuilds from current rows; mails and deliveries are keyed by the event), so the outbox may apply
 * them again after a crash without anyone hearing twice.
 */
export function applyEffects(
  deps: TransitionDeps,
  tx: Db,
  ctx: Ctx,
  c: Complaint,
  provider: Provider,
  e: ChangeEffects,
): void {
  deps.hooks.run(tx, ctx, { complaintId: c.id, event: e.event, from: e.from, to: e.to });
  if (e.event === 'approve') deps.forwarding.planDeliveries(tx, ctx, c.id);
  // A reopen goes back to the provider through every channel again, as a new round.
  if (e.event === 'reopen') deps.forwarding.planDeliveries(tx, ctx, c.id, { round: `reopen-${e.eventId}` });
  notifyFor(deps, tx, ctx, c, provider, { id: e.eventId, type: e.event, body: e.body, dueAt: e.dueAt });
}

/** The status change and its timeline event, nothing else. Throws Conflict when the status moved under it. */
export function recordTransition(
  deps: TransitionDeps,
  ctx: Ctx,
  c: Complaint,
  event: LifecycleEvent,
  to: Status,
  record: TransitionRecord,
): { complaint: Complaint; eventId: number } {
  const now = ctx.clock.now();
  const clocks = clocksAfter(c, { event, from: c.status, to }, now, deps.deadlines.forCategory(c.category));
  // Guarded by the status read: a change that raced this one makes this one a conflict, not a silent overwrite.
  const updated = deps.statements.update(c, clocks, to, now);
  if (!updated) throw new Conflict(stateConflictMessage(c.status), 'INVALID_STATE');
  const eventId = deps.timeline.append({
    complaintId: c.id,
    type: event,
    actor: record.actor,
    body: record.body,
    status: to,
    data: record.data,
    internal: record.internal,
    at: now,
  });
  return { complaint: updated, eventId };
}

/** A person's transition: recorded and its effects applied in the same transaction, so they see the result at once. */
export function applyTransition(
  deps: TransitionDeps,
  tx: Db,
  ctx: Ctx,
  c: Complaint,
  provider: Provider,
  event: LifecycleEvent,
  to: Status,
  record: TransitionRecord,
): { complaint: Complaint; eventId: number } {
  const done = recordTransition(deps, ctx, c, event, to, record);
  applyEffects(deps, tx, ctx, done.complaint, provider, {
    eventId: done.eventId,
    event,
    from: c.status,
    to,
    body: record.body,
  });
  return done;
}
