// Writing outbox rows inside the caller's transaction: they commit or roll back with the change that caused them.
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

/** Inserts a pending row; idempotent on key (ON CONFLICT DO NOTHING). Returns the new row id, or null if the key existed. */
export function enqueue(tx: Db, ctx: Ctx, item: EnqueueItem, defaults: { maxAttempts: number } = { maxAttempts: DEFAULT_MAX_ATTEMPTS }): number | null {
  const now = ctx.clock.now();
  const row = tx.insert(outbox).values({
    topic: item.topic, complaintId: item.complaintId ?? null, channel: item.channel ?? null, payload: item.payload ?? null,
    idempotencyKey: item.key, status: 'pending', attempts: 0, maxAttempts: item.maxAttempts ?? defaults.maxAttempts,
    nextAttemptAt: item.dueAt ?? now, createdAt: now,
  }).onConflictDoNothing({ target: outbox.idempotencyKey }).returning({ id: outbox.id }).get();
  return row?.id ?? null;
}

/**
 * Records work that completed in the transaction itself (the merchant-portal delivery: the complaint is in the inbox
 * the moment it commits), as a done row with one successful attempt, so every channel reads the same afterwards.
 */
export function recordCompleted(tx: Db, ctx: Ctx, item: Omit<EnqueueItem, 'dueAt' | 'maxAttempts'>, detail: string): number | null {
  const now = ctx.clock.now();
  const row = tx.insert(outbox).values({
    topic: item.topic, complaintId: item.complaintId ?? null, channel: item.channel ?? null, payload: item.payload ?? null,
    idempotencyKey: item.key, status: 'done', attempts: 1, maxAttempts: 1, nextAttemptAt: now, createdAt: now, doneAt: now,
  }).onConflictDoNothing({ target: outbox.idempotencyKey }).returning({ id: outbox.id }).get();
  if (!row) return null;
  tx.insert(outboxAttempts).values({ outboxId: row.id, attempt: 1, startedAt: now, finishedAt: now, ok: true, detail }).run();
  return row.id;
}

/** The earliest instant something becomes claimable: a pending row's due time or a worker lease's expiry. */
export function nextDueAt(db: Db): number | null {
  const r = db.get<{ due: number | null }>(sql`SELECT min(due) AS due FROM (
    SELECT min(next_attempt_at) AS due FROM outbox WHERE status = 'pending'
    UNION ALL SELECT min(claim_expires_at) FROM outbox WHERE status = 'sending' AND claim_expires_at IS NOT NULL)`);
  return r?.due ?? null;
}
