// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses the
// threshold (1,000 pages by default): that commit then copies the WAL back into the database and syncs it, and the
// request or scheduler tick that made it waits 20-50 ms for work that has nothing to do with it. Here a worker thread
// with its own connection runs PASSIVE checkpoints on a timer instead; they never block writers or readers. The main
// connection keeps a much larger automatic threshold as a backstop, so the WAL stays bounded even if the thread dies.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages (4 KiB) after which a commit on the main connection checkpoints by itself: 64 MiB of WAL. */
export const BACKSTOP_PAGES = 16_384;
/**
 * How often the thread checkpoints. Often enough that a burst of small commits (the outbox worker makes a few per
 * row) never grows the WAL to the backstop, which would make some unlucky commit wait for a 64 MiB checkpoint; a
 * checkpoint with nothing to copy costs microseconds.
 */
export const CHECKPOINT_INTERVAL_MS = 200;

// Plain CommonJS for the thread, so it needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 100');
const run = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: String(err && err.message || err), code: err && err.code }); }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); run(); db.close(); parentPort.close(); } });
`;

export class WalCheckpointer {
  private worker: Worker | null = null;

  constructor(
    private readonly path: string,
    private readonly intervalMs = CHECKPOINT_INTERVAL_MS,
    private readonly onError: (message: string, code?: string) => void = () => {},
  ) {}

  start(): void {
    if (this.worker) return;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path: this.path, intervalMs: this.intervalMs, driver },
    });
    this.worker.on('message', (m: { error?: string; code?: string }) => {
      if (m.error) this.onError(m.error, m.code);
    });
    this.worker.on('error', (err) => this.onError(err.message));
    this.worker.unref();
  }

  /** Lets the thread finish a last checkpoint and close its connection. */
  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.worker = null;
    w.ref(); // held until it has exited: an unreferenced thread would let the process end mid-close
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      exited,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 2000);
      }),
    ]);
    clearTimeout(timer);
    await w.terminate();
  }
}
