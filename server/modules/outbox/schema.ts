import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

export const OUTBOX_STATUSES = ['pending', 'sending', 'done', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Every outbound job (deliveries to providers, e-mail notifications, search-index sync) is one row here, written in
 * the same transaction as the change that caused it. A worker claims due rows under a lease, sends, records the
 * attempt, and either finishes, reschedules with backoff, or dead-letters the row.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    topic: text('topic').notNull(),
    complaintId: integer('complaint_id'),
    channel: text('channel'),
    payload: text('payload', { mode: 'json' }).$type<unknown>().notNull(),
    /** Enqueueing the same key twice is a no-op; webhooks also send it as Idempotency-Key. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** Worker id holding the row while status is 'sending' ('operator' while a person holds a call task). */
    claimedBy: text('claimed_by'),
    /** After this instant a 'sending' row is presumed abandoned (its worker crashed) and may be claimed again. Null: held by a person. */
    claimExpiresAt: integer('claim_expires_at'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    doneAt: integer('done_at'),
    /**
     * When the retention purge emptied this finished row's payload and attempt details (OUTBOX_RETENTION_DAYS after it
     * finished). The row itself stays: its idempotency key keeps a later enqueue of the same work from sending again.
     */
    purgedAt: integer('purged_at'),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_lease_idx').on(t.status, t.claimExpiresAt),
    index('outbox_complaint_idx').on(t.complaintId),
    // Only finished rows not yet purged: each purge batch reads the oldest of them, never the purged millions.
    index('outbox_purge_idx').on(t.nextAttemptAt).where(sql`${t.purgedAt} IS NULL AND ${t.status} IN ('done', 'dead')`),
  ],
);

/** One row per try: when, whether it worked, and what the other side said (status code, SMTP reply, error). */
export const outboxAttempts = sqliteTable(
  'outbox_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    outboxId: integer('outbox_id')
      .notNull()
      .references(() => outbox.id),
    attempt: integer('attempt').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    ok: integer('ok', { mode: 'boolean' }),
    detail: text('detail'),
  },
  (t) => [index('outbox_attempts_outbox_idx').on(t.outboxId, t.attempt)],
);

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxAttempt = typeof outboxAttempts.$inferSelect;
