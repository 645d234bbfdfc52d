// The deadline scheduler: one timer armed for the soonest next_deadline_at (read from its index), never a scan on a
// fixed interval. A tick takes what has fallen due, in batches in index order, and re-arms. Started, it first
// catches up on everything that fell due while the process was down. A test clock wakes it when moved.
import type { Statement } from 'better-sqlite3';
import type { FastifyBaseLogger } from 'fastify';
import { transactionRunner, type Db, type Sqlite, type Transaction } from '../../db/database.ts';
import type { Clock, TestClock } from '../../lib/clock.ts';
import { systemCtx } from '../../lib/ctx.ts';
import { rowReader, type RowReader } from '../../db/rows.ts';
import { complaintCodecs, complaints } from '../complaints/schema.ts';
import type { TransitionDeps } from '../complaints/transitions.ts';
import type { DeadlineKind } from './deadlines.ts';
import type { EffectsQueue } from './effects.ts';
import { deadlineStatements, processDue, type DeadlineStatements } from './process-due.ts';

export interface SchedulerOptions {
  db: Db;
  sqlite: Sqlite;
  clock: Clock;
  testClock: TestClock | null;
  deps: TransitionDeps;
  /** Where each fired deadline's effects go (the outbox). */
  effects: EffectsQueue;
  log: FastifyBaseLogger;
  batchSize?: number;
}

export interface TickResult {
  processed: number;
  fired: Record<DeadlineKind, number>;
  failed: number;
  more: boolean;
}

/** setTimeout's largest delay; a later deadline just re-arms when this one fires. */
const MAX_DELAY = 2 ** 31 - 1;
/** A complaint that failed to process is tried again after this long, so one bad row cannot stall the rest. */
const RETRY_MS = 60_000;

export class DeadlineScheduler {
  private timer: NodeJS.Timeout | null = null;
  private armedFor: number | null = null;
  private running = false;
  private unlisten: (() => void) | null = null;
  private readonly batchSize: number;
  private readonly statements: DeadlineStatements;
  /** One transaction function for the connection; nested calls are savepoints. */
  private readonly inTransaction: Transaction;
  private readonly writeLocked: Transaction;
  private readonly dueBatch: RowReader<typeof complaints>;
  private readonly soonest: Statement;

  constructor(private readonly opts: SchedulerOptions) {
    this.batchSize = opts.batchSize ?? 1000;
    this.statements = deadlineStatements(opts.sqlite);
    this.inTransaction = transactionRunner(opts.sqlite);
    const immediate = opts.sqlite.transaction((fn: () => unknown) => fn()).immediate;
    this.writeLocked = <T>(fn: () => T) => immediate(fn) as T;
    this.dueBatch = rowReader(
      opts.sqlite,
      complaints,
      complaintCodecs,
      'WHERE next_deadline_at <= ? ORDER BY next_deadline_at LIMIT ?',
    );
    this.soonest = opts.sqlite.prepare('SELECT min(next_deadline_at) FROM complaints').pluck();
  }

  /**
   * Processes what is due now, in batches of batchSize (each one transaction), at most maxBatches of them; `more` says
   * whether some was left. Synchronous: better-sqlite3 is, and so a moved test clock has fired by return.
   */
  tick(maxBatches = Infinity): TickResult {
    const { db, clock, deps } = this.opts;
    const now = clock.now();
    const ctx = systemCtx(clock);
    const result: TickResult = {
      processed: 0,
      failed: 0,
      more: false,
      fired: {
        first_response_warning: 0,
        first_response_breach: 0,
        resolution_warning: 0,
        resolution_breach: 0,
        auto_close: 0,
      },
    };
    for (let batch = 0; ; batch++) {
      if (batch === maxBatches) {
        result.more = true;
        break;
      }
      const soonest = this.nextDue();
      if (soonest === null || soonest > now) break; // an idle tick takes no write lock
      // Read and written under one write lock (BEGIN IMMEDIATE): another process cannot change a row between this
      // read and the writes that rely on it.
      const read = this.writeLocked(() => {
        const due = this.dueBatch.all(now, this.batchSize);
        for (const complaint of due) {
          try {
            // A savepoint per complaint: one failure rolls back that complaint only.
            const fired = this.inTransaction(() =>
              processDue(deps, this.opts.effects, this.statements, db, ctx, complaint, now),
            );
            for (const k of fired) result.fired[k]++;
            result.processed++;
          } catch (err) {
            result.failed++;
            this.opts.log.error({ err, complaintId: complaint.id }, 'deadline processing failed; retrying later');
            this.statements.setNext.run(now + RETRY_MS, complaint.id);
          }
        }
        return due.length;
      });
      if (read < this.batchSize) break;
    }
    return result;
  }

  /** When the timer will next wake the scheduler (null: idle, or not started). */
  get nextWake(): number | null {
    return this.running ? this.armedFor : null;
  }

  /** The soonest pending deadline, from the index. */
  nextDue(): number | null {
    return (this.soonest.get() as number | null) ?? null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A moved test clock has fired everything due by the time the request that moved it returns.
    if (this.opts.testClock) this.unlisten = this.opts.testClock.onAdvance(() => this.runNow(Infinity));
    this.runNow(); // catch up on what fell due while the process was down
  }

  stop(): void {
    this.running = false;
    this.unlisten?.();
    this.unlisten = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
  }

  /** A transition wrote a deadline: wake earlier if it is sooner than the one armed. */
  poke(at: number | null): void {
    if (!this.running || at === null) return;
    if (this.armedFor === null || at < this.armedFor) this.arm(at);
  }

  /**
   * One batch at a time, then the event loop goes round before the next: a catch-up after a day of downtime (tens of
   * thousands due) is then a series of ~100 ms steps between which requests are served, not one long freeze.
   */
  private runNow(maxBatches = 1): void {
    if (!this.running) return;
    let more: boolean;
    try {
      more = this.tick(maxBatches).more;
    } catch (err) {
      this.opts.log.error({ err }, 'deadline tick failed');
      this.arm(this.opts.clock.now() + RETRY_MS);
      return;
    }
    this.arm(more ? this.opts.clock.now() : this.nextDue());
  }

  private arm(at: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = at;
    if (at === null || !this.running) return;
    const delay = Math.min(MAX_DELAY, Math.max(0, at - this.opts.clock.now()));
    this.timer = setTimeout(() => this.runNow(), delay);
    this.timer.unref();
  }
}
