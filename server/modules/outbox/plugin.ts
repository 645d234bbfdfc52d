// App plugin: the durable outbox. Other plugins register a handler per topic and enqueue rows inside their own
// transactions; the worker (only when config.workers) sends them. app.outbox.drain() processes what is due now.
import fp from 'fastify-plugin';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { DEFAULT_BACKOFF } from './backoff.ts';
import { outboxWriter, type EnqueueItem } from './enqueue.ts';
import { HandlerRegistry, type OutboxHandler } from './registry.ts';
import { outboxPurger } from './retention.ts';
import { outboxService, type OutboxService } from './service.ts';
import { OutboxWorker } from './worker.ts';

export interface Outbox {
  /** Writes a pending row in the caller's transaction (idempotent on key) and wakes the worker once it has committed. */
  enqueue(tx: Db, ctx: Ctx, item: EnqueueItem): number | null;
  /** Records work that completed inside the transaction itself (a done row with one successful attempt). */
  recordCompleted(tx: Db, ctx: Ctx, item: Omit<EnqueueItem, 'dueAt' | 'maxAttempts'>, detail: string): number | null;
  registerHandler(topic: string, handler: OutboxHandler): void;
  /** Processes until nothing is due now. */
  drain(): Promise<number>;
  wake(): void;
  /** Hands the rows this process holds back to pending, due now (on shutdown, so another process takes them at once). */
  release(): number;
  /** Empties the payloads and attempt details of rows finished more than OUTBOX_RETENTION_DAYS ago (retention.ts). */
  purgeFinished(): Promise<number>;
  /** Empties one finished row's payload and attempt details at once, in the caller's transaction (retention.ts). */
  purgeRow(id: number): void;
  worker: OutboxWorker;
  service: OutboxService;
}

declare module 'fastify' {
  interface FastifyInstance {
    outbox: Outbox;
  }
}

const DAY_MS = 24 * 3600_000;

export interface OutboxPluginOptions {
  random?: () => number;
}

export default fp<OutboxPluginOptions>(
  async (app, opts) => {
    const cfg = app.config.outbox;
    const registry = new HandlerRegistry();
    const worker = new OutboxWorker({
      db: app.db,
      transaction: app.transaction,
      groupCommit: app.groupCommit,
      clock: app.clock,
      registry,
      leaseMs: cfg.leaseMs,
      batchSize: cfg.batchSize,
      random: opts.random,
      log: app.log,
      backoff: {
        ...DEFAULT_BACKOFF,
        baseMs: cfg.baseDelayMs,
        capMs: cfg.maxDelayMs,
        floorMs: Math.min(DEFAULT_BACKOFF.floorMs, cfg.baseDelayMs),
      },
    });
    // better-sqlite3 transactions are synchronous: by the time setImmediate runs, the enqueueing transaction has
    // committed (or rolled back, and the worker finds nothing new, which is harmless).
    // One wake per turn, however many rows the transaction enqueued (a deadline tick enqueues thousands).
    let wakeQueued = false;
    const wakeAfterCommit = () => {
      if (wakeQueued) return;
      wakeQueued = true;
      setImmediate(() => {
        wakeQueued = false;
        worker.wake();
      });
    };
    const writer = outboxWriter(app.db, { maxAttempts: cfg.maxAttempts });
    const purger = outboxPurger(app.sqlite, app.transaction);
    let closing = false;
    const purgeFinished = () => {
      const now = app.clock.now();
      return purger.purgeAll(now - cfg.retentionDays * DAY_MS, now, () => closing);
    };

    app.decorate('outbox', {
      enqueue(tx, ctx, item) {
        const id = writer.enqueue(tx, ctx, item);
        if (id !== null) wakeAfterCommit();
        return id;
      },
      recordCompleted: writer.recordCompleted,
      registerHandler: (topic, handler) => registry.register(topic, handler),
      drain: () => worker.drain(),
      wake: () => worker.wake(),
      release: () => worker.release(),
      purgeFinished,
      purgeRow: (id) => purger.purgeRow(id, app.clock.now()),
      worker,
      service: outboxService(app.db, registry, { maxAttempts: cfg.maxAttempts, wake: () => worker.wake() }),
    } satisfies Outbox);

    if (app.config.workers) {
      app.addHook('onReady', async () => {
        const test = app.testClock;
        worker.start(test ? (fn) => test.onAdvance(fn) : undefined);
        // A minute after start (not competing with it), then hourly; batches yield to requests (retention.ts).
        const purge = () => {
          purgeFinished().catch((err) => app.log.error({ err }, 'outbox retention purge failed'));
        };
        purgeTimers.push(setTimeout(purge, 60_000).unref(), setInterval(purge, 3600_000).unref());
      });
    }
    const purgeTimers: NodeJS.Timeout[] = [];
    app.addHook('onClose', async () => {
      closing = true;
      for (const t of purgeTimers) clearTimeout(t);
      await worker.stop();
    });
  },
  { name: 'outbox', dependencies: ['db', 'clock'] },
);
