// Durable acknowledgements without fsync on the event loop. With synchronous=FULL every COMMIT fsyncs the WAL inside
// the synchronous better-sqlite3 call, so the event loop waits for the disk on every write (filings fell to ~65 % of
// their NORMAL rate). Instead the connection runs NORMAL (a commit writes its WAL frames, no fsync) and every answer to
// a request that may have written (POST, PUT, PATCH, DELETE) waits for an fdatasync of the WAL file, done in libuv's
// thread pool. One sync covers every commit made before it started, so concurrent requests share syncs: a request
// arriving while one runs waits for the next, which starts as soon as the running one ends. A power cut can then lose
// only what nobody was told was saved (background work: outbox bookkeeping, scheduler records, which are re-derived).
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  private handle: Promise<FileHandle | null> | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  /** Syncs done (for tests and diagnostics). */
  count = 0;

  constructor(private readonly walPath: string | null) {}

  /** Resolves once every commit made before this call is on disk. */
  sync(): Promise<void> {
    if (!this.walPath) return Promise.resolve();
    if (!this.running) {
      this.running = this.once().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // A sync already running may have started before our commit: wait for the one after it.
    this.next ??= this.running.then(
      () => {
        this.next = null;
        return this.sync();
      },
      () => {
        this.next = null;
        return this.sync();
      },
    );
    return this.next;
  }

  private async once(): Promise<void> {
    this.handle ??= open(this.walPath!, 'r+').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        this.handle = null;
        return null;
      } // no WAL yet: nothing was committed to it
      throw err;
    });
    const fh = await this.handle;
    if (fh) await fh.datasync();
    this.count++;
  }

  async close(): Promise<void> {
    const fh = await this.handle?.catch(() => null);
    this.handle = null;
    await fh?.close();
  }
}
