// What a send's result does to its outbox row, in the write that records it: the attempt closed, then the row done,
// handed to an operator, dead-lettered, or due again after a backoff (now, when the worker is stopping). Every update
// is conditional on the row still being held by this worker for this attempt, so a row re-claimed after an expired
// lease is never overwritten by the late result of the old holder.
import { and, eq, sql } from 'drizzle-orm';
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

/** A value bound when the prepared statement runs (wrapped in sql: update sets take SQL, not bare placeholders). */
const p = (name: string) => sql`${sql.placeholder(name)}`;
/** better-sqlite3 binds no booleans: the attempt's ok column as stored (drizzle's boolean mode maps 1/0 back). */
const okValue = (ok: boolean | null) => (ok === null ? null : ok ? 1 : 0);

/**
 * The writes of an outcome, prepared once per worker: the worker records one for every row it sends (a few for every
 * filing, approval and reply), and building each statement anew cost about 0.6 ms a row on the request thread.
 */
export function outcomeStatements(db: Db) {
  const held = and(
    eq(outbox.id, p('id')),
    eq(outbox.status, 'sending'),
    eq(outbox.claimedBy, p('workerId')),
    eq(outbox.attempts, p('attempts')),
  );
  return {
    closeAttempt: db
      .update(outboxAttempts)
      .set({ finishedAt: p('now'), ok: p('ok'), detail: p('detail') })
      .where(eq(outboxAttempts.id, p('attemptId')))
      .prepare(),
    handoff: db
      .update(outbox)
      .set({ claimedBy: 'operator', claimExpiresAt: null, lastError: null, nextAttemptAt: p('now') })
      .where(held)
      .prepare(),
    done: db
      .update(outbox)
      .set({ status: 'done', doneAt: p('now'), claimedBy: null, claimExpiresAt: null, lastError: null })
      .where(held)
      .prepare(),
    dead: db
      .update(outbox)
      .set({ status: 'dead', claimedBy: null, claimExpiresAt: null, lastError: p('detail'), doneAt: null })
      .where(held)
      .prepare(),
    retry: db
      .update(outbox)
      .set({
        status: 'pending',
        claimedBy: null,
        claimExpiresAt: null,
        lastError: p('detail'),
        nextAttemptAt: p('next'),
      })
      .where(held)
      .prepare(),
  };
}
export type OutcomeStatements = ReturnType<typeof outcomeStatements>;

/** Records a send's result; `tx` is the connection the statements were prepared on, inside the caller's transaction. */
export function recordOutcome(
  tx: Db,
  stmts: OutcomeStatements,
  item: OutboxItem,
  attemptId: number,
  result: SendResult,
  o: OutcomeContext,
): void {
  const { now } = o;
  const held = { id: item.id, workerId: o.workerId, attempts: item.attempts };
  // A send cut short by stop() is not the receiver's failure: no backoff, no dead letter, due again now.
  const released = o.stopped && !('handoff' in result) && !result.ok && result.retryable !== false;
  const detail = result.detail.slice(0, 2000);
  if ('handoff' in result) {
    stmts.closeAttempt.run({ attemptId, now, ok: okValue(null), detail });
    const r = stmts.handoff.run({ ...held, now });
    if (r.changes) o.handler?.onHandoff?.(tx, item, detail);
    return;
  }
  stmts.closeAttempt.run({ attemptId, now, ok: okValue(result.ok), detail });
  if (result.ok) {
    const r = stmts.done.run({ ...held, now });
    if (r.changes) o.handler?.onDone?.(tx, item, detail);
    return;
  }
  const dead = !released && (result.retryable === false || item.attempts >= item.maxAttempts);
  if (dead) {
    const r = stmts.dead.run({ ...held, detail });
    if (r.changes) o.handler?.onDead?.(tx, item, detail);
    return;
  }
  const next = released ? now : now + backoffDelay(o.backoff, item.attempts, o.random);
  stmts.retry.run({ ...held, detail, next });
}
