// Finished outbox rows (done or dead) carry personal data in their payloads (a complaint with the consumer's contact,
// an e-mail's recipient and text) and in their attempts' details (SMTP replies). OUTBOX_RETENTION_DAYS after a row
// finished both are emptied. The row stays, reduced to topic, key, status and times: its idempotency key is what keeps
// a later enqueue of the same work (planning deliveries again after research, a notification's key) from sending twice.
import type { Sqlite, Transaction } from '../../db/database.ts';

export const PURGE_BATCH = 500;
export const PURGED_PAYLOAD = '{}';

export interface OutboxPurger {
  /** Empties one batch of rows finished before `cutoffMs`; returns how many. */
  purgeBatch(cutoffMs: number, nowMs: number): number;
  /**
   * Empties one row now, inside the caller's transaction: mail whose text holds a live secret (a reset link) is not
   * kept once sent (the payload flag purgeOnDone, handled by the e-mail topic's onDone).
   */
  purgeRow(id: number, nowMs: number): void;
  /** Batches until none is left, giving the event loop a turn between two; returns the total. */
  purgeAll(cutoffMs: number, nowMs: number, shouldStop?: () => boolean): Promise<number>;
}

export function outboxPurger(sqlite: Sqlite, transaction: Transaction, batch = PURGE_BATCH): OutboxPurger {
  // Named: left to itself the planner prefers outbox_due_idx (status, next_attempt_at), which walks every row purged
  // before (millions, in time) to find the few that are not. The WHERE repeats the partial index's condition, which
  // INDEXED BY requires. next_attempt_at is the row's last scheduled try, at or before it finished; done_at, when set,
  // is the exact end.
  const due = sqlite
    .prepare(`SELECT id FROM outbox INDEXED BY outbox_purge_idx
    WHERE purged_at IS NULL AND status IN ('done', 'dead') AND next_attempt_at < :cutoff AND coalesce(done_at, next_attempt_at) < :cutoff
    ORDER BY next_attempt_at LIMIT :batch`)
    .pluck();
  const emptyRow = sqlite.prepare(
    `UPDATE outbox SET payload = '${PURGED_PAYLOAD}', last_error = NULL, purged_at = :now WHERE id = :id`,
  );
  const emptyAttempts = sqlite.prepare('UPDATE outbox_attempts SET detail = NULL WHERE outbox_id = :id');

  const purgeBatch = (cutoffMs: number, nowMs: number): number =>
    transaction(() => {
      const ids = due.all({ cutoff: cutoffMs, batch }) as number[];
      for (const id of ids) {
        emptyRow.run({ id, now: nowMs });
        emptyAttempts.run({ id });
      }
      return ids.length;
    });

  return {
    purgeBatch,
    purgeRow(id, nowMs) {
      emptyRow.run({ id, now: nowMs });
      emptyAttempts.run({ id });
    },
    async purgeAll(cutoffMs, nowMs, shouldStop = () => false) {
      let total = 0;
      // Checked before each batch, after the turn given away: the app may have begun closing its database meanwhile.
      while (!shouldStop()) {
        const n = purgeBatch(cutoffMs, nowMs);
        total += n;
        if (n < batch) break;
        await new Promise((r) => setImmediate(r));
      }
      return total;
    },
  };
}
