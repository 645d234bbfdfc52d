// What a send's result does to its outbox row, in the write that records it: the attempt closed, then the row done,
// handed to an operator, dead-lettered, or due again after a backoff (now, when the worker is stopping). Every update
// is conditional on the row still being held by this worker for this attempt, so a row re-claimed after an expired
// lease is never overwritten by the late result of the old holder.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import type { OutboxItem, SendResult, OutboxHandler } from './registry.ts';
import { outbox, outboxAttempts } from './schema.ts';

export interface OutcomeContext {
  now: number;
  workerId: string;
  /** The worker is stopping: a cut-short send is not the receiver's failure. */
  stopped: boolean;
  handler: OutboxHandler | undefined;
  backoff: BackoffPolicy;
  random?: () => number;
}

export function recordOutcome(
  tx: Db,
  item: OutboxItem,
  attemptId: number,
  result: SendResult,
  o: OutcomeContext,
): void {
  const { now } = o;
  const held = and(
    eq(outbox.id, item.id),
    eq(outbox.status, 'sending'),
    eq(outbox.claimedBy, o.workerId),
    eq(outbox.attempts, item.attempts),
  );
  // A send cut short by stop() is not the receiver's failure: no backoff, no dead letter, due again now.
  const released = o.stopped && !('handoff' in result) && !result.ok && result.retryable !== false;
  const detail = result.detail.slice(0, 2000);
  if ('handoff' in result) {
    tx.update(outboxAttempts).set({ finishedAt: now, ok: null, detail }).where(eq(outboxAttempts.id, attemptId)).run();
    const r = tx
      .update(outbox)
      .set({ claimedBy: 'operator', claimExpiresAt: null, lastError: null, nextAttemptAt: now })
      .where(held)
      .run();
    if (r.changes) o.handler?.onHandoff?.(tx, item, detail);
    return;
  }
  tx.update(outboxAttempts)
    .set({ finishedAt: now, ok: result.ok, detail })
    .where(eq(outboxAttempts.id, attemptId))
    .run();
  if (result.ok) {
    const r = tx
      .update(outbox)
      .set({ status: 'done', doneAt: now, claimedBy: null, claimExpiresAt: null, lastError: null })
      .where(held)
      .run();
    if (r.changes) o.handler?.onDone?.(tx, item, detail);
    return;
  }
  const dead = !released && (result.retryable === false || item.attempts >= item.maxAttempts);
  if (dead) {
    const r = tx
      .update(outbox)
      .set({ status: 'dead', claimedBy: null, claimExpiresAt: null, lastError: detail, doneAt: null })
      .where(held)
      .run();
    if (r.changes) o.handler?.onDead?.(tx, item, detail);
    return;
  }
  const next = released ? now : now + backoffDelay(o.backoff, item.attempts, o.random);
  tx.update(outbox)
    .set({ status: 'pending', claimedBy: null, claimExpiresAt: null, lastError: detail, nextAttemptAt: next })
    .where(held)
    .run();
}
