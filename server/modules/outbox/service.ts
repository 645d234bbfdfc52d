// Verbs over outbox rows for people: the admin's view (by status, attempts, retry of dead rows) and the outcome an
// operator records for work handed to a person (a call, a contact to research). Admin only: others get 404.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Conflict, NotFound } from '../../lib/errors.ts';
import type { HandlerRegistry } from './registry.ts';
import { outbox, outboxAttempts, type OutboxRow, type OutboxStatus } from './schema.ts';

export const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = {
  pending: '等待发送',
  sending: '发送中',
  done: '已完成',
  dead: '已放弃（死信）',
};

function requireAdmin(ctx: Ctx) {
  const actor = requireActor(ctx);
  if (actor.role !== 'admin') throw new NotFound();
  return actor;
}

export function outboxService(db: Db, registry: HandlerRegistry, opts: { maxAttempts: number; wake: () => void }) {
  const get = (id: number): OutboxRow => {
    const row =
      Number.isSafeInteger(id) && id > 0 ? db.select().from(outbox).where(eq(outbox.id, id)).get() : undefined;
    if (!row) throw new NotFound('找不到该投递记录');
    return row;
  };

  return {
    get(ctx: Ctx, id: number) {
      requireAdmin(ctx);
      return get(id);
    },

    list(ctx: Ctx, filter: { status?: OutboxStatus; topics?: string[]; limit?: number }) {
      requireAdmin(ctx);
      const conds = [
        filter.status ? eq(outbox.status, filter.status) : undefined,
        filter.topics?.length ? inArray(outbox.topic, filter.topics) : undefined,
      ];
      return db
        .select()
        .from(outbox)
        .where(and(...conds))
        .orderBy(filter.status === 'pending' ? asc(outbox.nextAttemptAt) : desc(outbox.id))
        .limit(Math.min(filter.limit ?? 100, 500))
        .all();
    },

    counts(ctx: Ctx, topics?: string[]): Record<OutboxStatus, number> {
      requireAdmin(ctx);
      const rows = db
        .select({ status: outbox.status, n: sql<number>`count(*)` })
        .from(outbox)
        .where(topics?.length ? inArray(outbox.topic, topics) : undefined)
        .groupBy(outbox.status)
        .all();
      const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, done: 0, dead: 0 };
      for (const r of rows) out[r.status] = r.n;
      return out;
    },

    attempts(ctx: Ctx, id: number) {
      requireAdmin(ctx);
      return db
        .select()
        .from(outboxAttempts)
        .where(eq(outboxAttempts.outboxId, id))
        .orderBy(asc(outboxAttempts.attempt), asc(outboxAttempts.id))
        .all();
    },

    /** Puts a dead row back to pending, due now, with a fresh allowance of attempts. */
    retry(ctx: Ctx, id: number): OutboxRow {
      requireAdmin(ctx);
      const row = get(id);
      if (row.status !== 'dead')
        throw new Conflict(`当前状态为「${OUTBOX_STATUS_LABELS[row.status]}」，只有已放弃的投递可以重试`);
      if (row.purgedAt !== null) throw new Conflict('该投递的内容已过保留期限并被清除，无法重试');
      const now = ctx.clock.now();
      const updated = db
        .update(outbox)
        .set({
          status: 'pending',
          nextAttemptAt: now,
          maxAttempts: row.attempts + opts.maxAttempts,
          claimedBy: null,
          claimExpiresAt: null,
        })
        .where(and(eq(outbox.id, id), eq(outbox.status, 'dead')))
        .returning()
        .get();
      if (!updated) throw new Conflict('该投递的状态刚刚发生变化，请刷新后重试');
      setImmediate(opts.wake);
      return updated;
    },

    /**
     * Closes a row that is no longer wanted (its provider was merged into another, which is forwarded to instead),
     * inside the caller's transaction, recorded as a final attempt. No handler runs: the caller plans what replaces it.
     */
    supersede(tx: Db, ctx: Ctx, id: number, detail: string): void {
      const row = tx.select().from(outbox).where(eq(outbox.id, id)).get();
      if (!row || row.status === 'done' || row.status === 'dead') return;
      const now = ctx.clock.now();
      tx.update(outbox)
        .set({
          status: 'done',
          doneAt: now,
          claimedBy: null,
          claimExpiresAt: null,
          lastError: null,
          attempts: row.attempts + 1,
        })
        .where(eq(outbox.id, id))
        .run();
      tx.insert(outboxAttempts)
        .values({ outboxId: id, attempt: row.attempts + 1, startedAt: now, finishedAt: now, ok: true, detail })
        .run();
    },

    /** Rows a person holds (claimed by 'operator'), soonest first. */
    manualQueue(channels: string[]): OutboxRow[] {
      return db
        .select()
        .from(outbox)
        .where(and(eq(outbox.status, 'sending'), eq(outbox.claimedBy, 'operator'), inArray(outbox.channel, channels)))
        .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
        .all();
    },

    /**
     * A person's outcome for a row they hold: done completes it; otherwise it is due again after `retryInMs`, or dead
     * once its attempts are used up. Recorded as an attempt like any other.
     */
    recordManualOutcome(ctx: Ctx, id: number, outcome: { ok: boolean; detail: string; retryInMs?: number }): OutboxRow {
      requireAdmin(ctx);
      const row = get(id);
      if (row.status !== 'sending' || row.claimedBy !== 'operator') {
        throw new Conflict(`当前状态为「${OUTBOX_STATUS_LABELS[row.status]}」，该任务不在人工处理中`);
      }
      const handler = registry.get(row.topic);
      return db.transaction((tx) => {
        const now = ctx.clock.now();
        const attempt = row.attempts + 1;
        const held = and(
          eq(outbox.id, id),
          eq(outbox.status, 'sending'),
          eq(outbox.claimedBy, 'operator'),
          eq(outbox.attempts, row.attempts),
        );
        const dead = !outcome.ok && attempt >= row.maxAttempts;
        const patch: Partial<OutboxRow> = outcome.ok
          ? { status: 'done', doneAt: now, claimedBy: null, attempts: attempt, lastError: null }
          : dead
            ? { status: 'dead', claimedBy: null, attempts: attempt, lastError: outcome.detail }
            : { attempts: attempt, lastError: outcome.detail, nextAttemptAt: now + (outcome.retryInMs ?? 0) };
        const updated = tx.update(outbox).set(patch).where(held).returning().get();
        if (!updated) throw new Conflict('该任务刚刚被其他人处理，请刷新后查看');
        tx.insert(outboxAttempts)
          .values({ outboxId: id, attempt, startedAt: now, finishedAt: now, ok: outcome.ok, detail: outcome.detail })
          .run();
        if (outcome.ok) handler?.onDone?.(tx, updated, outcome.detail);
        else if (dead) handler?.onDead?.(tx, updated, outcome.detail);
        return updated;
      });
    },
  };
}

export type OutboxService = ReturnType<typeof outboxService>;
