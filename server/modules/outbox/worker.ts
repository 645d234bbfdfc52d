// The in-process worker: claims due rows atomically under a lease, sends them through their topic's handler, records
// each attempt, and finishes, retries (backoff with full jitter) or dead-letters. It wakes after an enqueue commits,
// on a timer set for the next due row, and when a test clock moves; never on a fixed-interval scan.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Transaction } from '../../db/database.ts';
import type { GroupCommit } from '../../db/group-commit.ts';
import type { Clock } from '../../lib/clock.ts';
import type { BackoffPolicy } from './backoff.ts';
import { outcomeStatements, recordOutcome } from './outcome.ts';
import { nextDueAt } from './enqueue.ts';
import type { HandlerRegistry, OutboxItem, SendResult } from './registry.ts';
import { outbox, outboxAttempts } from './schema.ts';

export interface WorkerOptions {
  db: Db;
  /** Runs a function in one transaction on db's connection (the app's reusable runner; drizzle's otherwise). */
  transaction?: Transaction;
  /**
   * When given, the bookkeeping writes of rows processed together (attempt started, outcome recorded) share one
   * COMMIT per event-loop turn instead of one each: a batch of 20 rows cost about 40 commits without it.
   */
  groupCommit?: GroupCommit;
  clock: Clock;
  registry: HandlerRegistry;
  backoff: BackoffPolicy;
  /** How long a claim holds before another worker may presume this one dead; longer than any send's timeout. */
  leaseMs: number;
  batchSize: number;
  random?: () => number;
  log: FastifyBaseLogger;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const RELEASED = '中断：处理进程关闭，已交还待发送';
const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);

export class OutboxWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly inflight = new Set<Promise<void>>();

  private readonly tx: Transaction;
  /** A write committed before the promise resolves (shared with other rows' writes when group commit is on). */
  private readonly write: <T>(fn: () => T) => Promise<T>;

  /** What the worker writes for every row, prepared once (built anew, they cost about 1.5 ms a row in all). */
  private readonly stmts: ReturnType<typeof workerStatements>;

  constructor(private readonly o: WorkerOptions) {
    this.tx = o.transaction ?? (<T>(fn: () => T) => o.db.transaction(() => fn()));
    const group = o.groupCommit;
    this.write = group ? (fn) => group.run(fn) : async (fn) => this.tx(fn);
    this.stmts = workerStatements(o.db);
  }

  /** Atomically moves up to n due rows (pending and due, or held under an expired lease) to 'sending' for this worker. */
  claim(n: number): OutboxItem[] {
    const now = this.o.clock.now();
    return this.stmts.claim.all({ now, n, expires: now + this.o.leaseMs, workerId: this.id });
  }

  /** Claims one batch and sends it; resolves with how many rows were claimed. */
  async runOnce(): Promise<number> {
    if (this.stopped) return 0;
    const items = this.claim(this.o.batchSize);
    await Promise.all(items.map((item) => this.track(this.process(item))));
    return items.length;
  }

  /** Processes until nothing is due now (for tests and scripts); safe alongside a running worker or another instance. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) {
        if (!this.inflight.size) return total;
        await Promise.allSettled([...this.inflight]);
      }
    }
  }

  start(onAdvance?: (fn: () => void) => () => void): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (onAdvance) this.unsubscribe = onAdvance(() => this.wake());
    this.wake(); // everything already due, e.g. left undelivered by a previous process
  }

  private unsubscribe: (() => void) | null = null;

  /** Runs the loop soon (coalesced). Called after an enqueue commits, by the timer, and by a moving test clock. */
  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.loop = (async () => {
      try {
        while (!this.stopped && (await this.runOnce()) > 0) {
          /* keep going while work is due */
        }
      } catch (err) {
        this.o.log.error({ err }, 'outbox worker loop failed');
      }
    })().finally(() => {
      this.loop = null;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.schedule();
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    const due = nextDueAt(this.o.db);
    if (due === null) return;
    // At least 50 ms: a row another instance holds can be "due" for a moment without being claimable here.
    const delay = Math.min(MAX_TIMER_MS, Math.max(50, due - this.o.clock.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, delay);
    this.timer.unref();
  }

  /**
   * Stops claiming, aborts the sends in flight (their rows go back to pending, due now), waits up to waitMs for them
   * to record that, then releases whatever this worker still holds: another process takes it at once instead of
   * after the lease.
   */
  async stop(waitMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    const settled = Promise.allSettled([this.loop, ...this.inflight]);
    await Promise.race([
      settled,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
    try {
      const n = this.release();
      if (n) this.o.log.info({ released: n }, 'outbox: claims released on stop');
    } catch (err) {
      this.o.log.error({ err }, 'outbox: releasing claims failed (they are taken over after the lease)');
    }
  }

  /** Hands every row this worker holds back to pending, due now, closing its open attempt as interrupted. */
  release(): number {
    const now = this.o.clock.now();
    return this.tx(() => {
      const held = this.o.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.status, 'sending'), eq(outbox.claimedBy, this.id)))
        .all()
        .map((r) => r.id);
      if (!held.length) return 0;
      this.o.db
        .update(outboxAttempts)
        .set({ finishedAt: now, ok: false, detail: RELEASED })
        .where(and(inArray(outboxAttempts.outboxId, held), isNull(outboxAttempts.finishedAt)))
        .run();
      this.o.db
        .update(outbox)
        .set({ status: 'pending', claimedBy: null, claimExpiresAt: null, nextAttemptAt: now })
        .where(and(inArray(outbox.id, held), eq(outbox.status, 'sending'), eq(outbox.claimedBy, this.id)))
        .run();
      return held.length;
    });
  }

  private track(p: Promise<void>): Promise<void> {
    this.inflight.add(p);
    return p.finally(() => this.inflight.delete(p));
  }

  private async process(item: OutboxItem): Promise<void> {
    const { clock, registry } = this.o;
    const startedAt = clock.now();
    // Committed before sending: a crash during the send leaves an open attempt the next holder reports as cut short.
    const attemptId = await this.write(() => {
      // A previous holder's attempt that never finished was cut short (crash, kill): say so instead of leaving it open.
      this.stmts.cutShort.run({ id: item.id, now: startedAt });
      return this.stmts.startAttempt.get({ id: item.id, attempt: item.attempts, now: startedAt })!.id;
    });
    const handler = registry.get(item.topic);
    let result: SendResult;
    if (!handler) result = { ok: false, detail: `没有处理「${item.topic}」的程序`, retryable: true };
    else {
      try {
        result = await handler.send(item, { attempt: item.attempts, clock, signal: this.abort.signal });
      } catch (err) {
        result = { ok: false, detail: errorText(err), retryable: true };
      }
    }
    try {
      await this.finish(item, attemptId, result);
    } catch (err) {
      // The row keeps its lease and is claimed again once it expires.
      this.o.log.error({ err, outboxId: item.id }, 'outbox: recording the result failed');
    }
  }

  private async finish(item: OutboxItem, attemptId: number, result: SendResult): Promise<void> {
    const { db: tx, clock, registry } = this.o;
    const handler = registry.get(item.topic);
    await this.write(() =>
      recordOutcome(tx, this.stmts.outcome, item, attemptId, result, {
        now: clock.now(),
        workerId: this.id,
        stopped: this.stopped,
        handler,
        backoff: this.o.backoff,
        random: this.o.random,
      }),
    );
    if (!('handoff' in result) && !result.ok)
      this.o.log.warn({ outboxId: item.id, topic: item.topic, attempt: item.attempts }, 'outbox attempt failed'); // its detail (an SMTP reply naming a mailbox) stays in outbox_attempts, purged with the row
  }
}

/** A value bound when the prepared statement runs (wrapped in sql: update sets take SQL, not bare placeholders). */
const p = (name: string) => sql`${sql.placeholder(name)}`;

function workerStatements(db: Db) {
  return {
    claim: db
      .update(outbox)
      .set({
        status: 'sending',
        claimedBy: p('workerId'),
        claimExpiresAt: p('expires'),
        attempts: sql`${outbox.attempts} + 1`,
      })
      .where(sql`${outbox.id} IN (
          SELECT id FROM (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ${p('now')} ORDER BY next_attempt_at LIMIT ${p('n')})
          UNION ALL
          SELECT id FROM (SELECT id FROM outbox WHERE status = 'sending' AND claim_expires_at <= ${p('now')} ORDER BY claim_expires_at LIMIT ${p('n')}))
        AND ((${outbox.status} = 'pending' AND ${outbox.nextAttemptAt} <= ${p('now')})
          OR (${outbox.status} = 'sending' AND ${outbox.claimExpiresAt} <= ${p('now')}))`)
      .returning()
      .prepare(),
    cutShort: db
      .update(outboxAttempts)
      .set({ finishedAt: p('now'), ok: false, detail: '中断：处理进程未在租约内完成（可能已崩溃或被终止）' })
      .where(and(eq(outboxAttempts.outboxId, p('id')), isNull(outboxAttempts.finishedAt)))
      .prepare(),
    startAttempt: db
      .insert(outboxAttempts)
      .values({ outboxId: p('id'), attempt: p('attempt'), startedAt: p('now') })
      .returning({ id: outboxAttempts.id })
      .prepare(),
    outcome: outcomeStatements(db),
  };
}
