// Group commit: concurrent writes that arrive in the same turn of the event loop share one COMMIT. Each write runs in
// its own savepoint, so one failing write rolls back alone; every caller is answered only after the shared COMMIT,
// so an acknowledged write is a durable one. On a busy intake this turns one commit per complaint into one per batch.
import type { Sqlite } from './database.ts';

interface Item {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  ok?: boolean;
  value?: unknown;
  error?: unknown;
}

export class GroupCommit {
  private queue: Item[] = [];
  private scheduled = false;
  private readonly batch: (items: Item[]) => void;

  constructor(
    sqlite: Sqlite,
    private readonly maxBatch = 500,
  ) {
    const savepoint = sqlite.transaction((fn: () => unknown) => fn());
    this.batch = sqlite.transaction((items: Item[]) => {
      for (const it of items) {
        try {
          it.value = savepoint(it.fn);
          it.ok = true;
        } catch (err) {
          // SQLITE_FULL and SQLITE_IOERR may roll back the whole transaction, not only the savepoint: the writes
          // before this one are gone, and the ones after would each commit on their own. The batch fails as one.
          if (!sqlite.inTransaction) throw err;
          it.error = err;
          it.ok = false;
        }
      }
    });
  }

  /** Runs fn (synchronously, inside a savepoint of the next batch) and resolves with its result once committed. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now. Called by the scheduled tick, and on close so nothing queued is dropped. */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length) {
      const items = this.queue.splice(0, this.maxBatch);
      try {
        this.batch(items);
      } catch (err) {
        // the COMMIT itself failed: nothing of this batch is stored
        for (const it of items) it.reject(err);
        continue;
      }
      for (const it of items) it.ok ? it.resolve(it.value) : it.reject(it.error);
    }
  }
}
