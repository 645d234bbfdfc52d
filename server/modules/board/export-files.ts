// The whole board as files, the way the CFPB publishes its database: cases.csv and cases.jsonl under
// $DATA_DIR/exports, built by a worker thread (export-worker.ts) at start when missing or stale, and again at most once
// per EXPORT_REBUILD_MS after the board has changed. Requests only ever read the metadata kept here and send a file.
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../../lib/clock.ts';
import { TestClock } from '../../lib/clock.ts';
import { BACKGROUND_NICE } from '../../lib/thread-priority.ts';
import { STREAMING_THREAD_LIMITS, startTsWorker } from '../../lib/ts-worker.ts';
import {
  readExportMeta,
  type ExportMeta,
  type ExportReply,
  type ExportRequest,
  type ExportWorkerData,
} from './export-worker.ts';

export interface ExportFilesOptions {
  databasePath: string;
  dir: string;
  baseUrl: string;
  rebuildMs: number;
  clock: Clock;
  onError(message: string): void;
  /** Rows the thread reads per statement. */
  sliceRows?: number;
}

export class ExportFiles {
  private worker: Worker | null = null;
  private meta: ExportMeta | null;
  /** The board changed after the last build began. */
  private dirty = false;
  /** When the last build was asked for: the interval counts from there, successful or not. */
  private lastAttemptAt: number;
  private building: Promise<ExportMeta> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;
  private waiters: { resolve(m: ExportMeta): void; reject(e: Error): void }[] = [];

  constructor(private readonly opts: ExportFilesOptions) {
    this.meta = readExportMeta(opts.dir);
    this.lastAttemptAt = this.meta?.builtAtMs ?? -Infinity;
  }

  get dir(): string {
    return this.opts.dir;
  }

  /** What the files in place hold (null before the first build has finished). */
  current(): ExportMeta | null {
    return this.meta;
  }

  start(): void {
    if (this.worker) return;
    const data: ExportWorkerData = {
      databasePath: this.opts.databasePath,
      dir: this.opts.dir,
      baseUrl: this.opts.baseUrl,
      sliceRows: this.opts.sliceRows ?? 1000,
    };
    const worker = startTsWorker(
      new URL('./export-worker.ts', import.meta.url),
      { ...data },
      { resourceLimits: STREAMING_THREAD_LIMITS, nice: BACKGROUND_NICE },
    );
    worker.on('message', (m: ExportReply) => this.settle(m));
    worker.on('error', (err) => this.opts.onError(err.message));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('export thread exited'));
    });
    worker.unref();
    this.worker = worker;
    if (this.opts.clock instanceof TestClock) this.unlisten = this.opts.clock.onAdvance(() => this.schedule());
    // At start: build when the files are missing or the board differs from what they hold; otherwise keep them.
    this.send(false).catch(() => {});
  }

  /** The board changed: a rebuild follows once EXPORT_REBUILD_MS has passed since the last one began. */
  markChanged(): void {
    this.dirty = true;
    this.schedule();
  }

  /** Resolves when no build is in progress or asked for (for tests and scripts that wait for the files). */
  async settled(): Promise<ExportMeta | null> {
    while (this.building) await this.building.catch(() => null);
    return this.meta;
  }

  /** Builds now (after a build in progress), whatever the interval: for scripts and tests. */
  rebuild(): Promise<ExportMeta> {
    this.dirty = false;
    return this.send(true);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unlisten?.();
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('export thread stopped'));
    // A build in progress is abandoned: its temporary files are overwritten by the next build.
    await w.terminate();
  }

  private schedule(): void {
    if (!this.dirty || !this.worker || this.building) return;
    const wait = this.lastAttemptAt + this.opts.rebuildMs - this.opts.clock.now();
    if (wait <= 0) {
      this.dirty = false;
      this.send(true).catch(() => {});
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.schedule();
      },
      Math.min(wait, 2 ** 31 - 1),
    );
    this.timer.unref();
  }

  private send(force: boolean): Promise<ExportMeta> {
    const w = this.worker;
    if (!w) return Promise.reject(new Error('export thread not started'));
    const previous = this.building ?? Promise.resolve(this.meta as ExportMeta);
    // One build at a time: the thread answers requests in order.
    const next = previous
      .catch(() => null)
      .then(
        () =>
          new Promise<ExportMeta>((resolve, reject) => {
            if (this.worker !== w) {
              reject(new Error('export thread stopped'));
              return;
            }
            this.waiters.push({ resolve, reject });
            this.lastAttemptAt = this.opts.clock.now();
            w.postMessage({ type: 'build', force, now: this.opts.clock.now() } satisfies ExportRequest);
          }),
      );
    this.building = next;
    const done = () => {
      if (this.building === next) {
        this.building = null;
        this.schedule();
      }
    };
    next.then(done, done);
    return next;
  }

  private settle(m: ExportReply): void {
    const waiter = this.waiters.shift();
    if (m.type === 'error') {
      this.opts.onError(m.message);
      this.dirty = true; // tried again after the interval
      waiter?.reject(new Error(m.message));
      return;
    }
    this.meta = m.meta;
    waiter?.resolve(m.meta);
  }
}
