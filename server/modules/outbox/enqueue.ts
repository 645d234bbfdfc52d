// Writing outbox rows inside the caller's transaction: they commit or roll back with the change that caused them.
// The statements are prepared once for the app's connection (a busy deadline tick enqueues thousands of rows, and
// building and preparing SQL per row cost more than the insert); they run in whatever transaction that connection
// holds, which is the caller's.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { outbox, outboxAttempts } from './schema.ts';

export interface EnqueueItem {
  topic: string;
  complaintId?: number;
  channel?: string;
  payload: unknown;
  /** Unique across the outbox: enqueueing an existing key does nothing (and returns null). */
  key: string;
  /** Not before this instant (epoch ms); default now. */
  dueAt?: number;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

const p = (name: string) => sql.placeholder(name);

export function outboxWriter(db: Db, defaults: { maxAttempts: number } = { maxAttempts: DEFAULT_MAX_ATTEMPTS }) {
  const row = {
    topic: p('topic'),
    complaintId: p('complaintId'),
    channel: p('channel'),
    payload: p('payload'),
    idempotencyKey: p('key'),
    status: p('status'),
    attempts: p('attempts'),
    maxAttempts: p('maxAttempts'),
    nextAttemptAt: p('nextAttemptAt'),
    createdAt: p('now'),
    doneAt: p('doneAt'),
  };
  const insert = db
    .insert(outbox)
    .values(row as never)
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id })
    .prepare();
  const insertAttempt = db
    .insert(outboxAttempts)
    .values({
      outboxId: p('outboxId'),
      attempt: 1,
      startedAt: p('now'),
      finishedAt: p('now'),
      ok: true,
      detail: p('detail'),
    } as never)
    .prepare();
  const base = (item: Omit<EnqueueItem, 'dueAt' | 'maxAttempts'>, now: number) => ({
    topic: item.topic,
    complaintId: item.complaintId ?? null,
    channel: item.channel ?? null,
    payload: item.payload ?? null,
    key: item.key,
    now,
  });

  return {
    /** Inserts a pending row; idempotent on key (ON CONFLICT DO NOTHING). Returns the new row id, or null if the key existed. */
    enqueue(_tx: Db, ctx: Ctx, item: EnqueueItem): number | null {
      const now = ctx.clock.now();
      const r = insert.get({
        ...base(item, now),
        status: 'pending',
        attempts: 0,
        maxAttempts: item.maxAttempts ?? defaults.maxAttempts,
        nextAttemptAt: item.dueAt ?? now,
        doneAt: null,
      }) as { id: number } | undefined;
      return r?.id ?? null;
    },

    /**
     * Records work that completed in the transaction itself (the merchant-portal delivery: the complaint is in the
     * inbox the moment it commits), as a done row with one successful attempt, so every channel reads the same afterwards.
     */
    recordCompleted(
      _tx: Db,
      ctx: Ctx,
      item: Omit<EnqueueItem, 'dueAt' | 'maxAttempts'>,
      detail: string,
    ): number | null {
      const now = ctx.clock.now();
      const r = insert.get({
        ...base(item, now),
        status: 'done',
        attempts: 1,
        maxAttempts: 1,
        nextAttemptAt: now,
        doneAt: now,
      }) as { id: number } | undefined;
      if (!r) return null;
      insertAttempt.run({ outboxId: r.id, now, detail });
      return r.id;
    },
  };
}

/** The earliest instant something becomes claimable: a pending row's due time or a worker lease's expiry. */
export function nextDueAt(db: Db): number | null {
  const r = db.get<{ due: number | null }>(sql`SELECT min(due) AS due FROM (
    SELECT min(next_attempt_at) AS due FROM outbox WHERE status = 'pending'
    UNION ALL SELECT min(claim_expires_at) FROM outbox WHERE status = 'sending' AND claim_expires_at IS NOT NULL)`);
  return r?.due ?? null;
}
