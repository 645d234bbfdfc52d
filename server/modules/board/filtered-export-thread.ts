// The request thread's side of the filtered-export thread (filtered-export-worker.ts): one long-lived thread shared by
// every filtered export, started on the first and again after a crash. Each export asks for one chunk at a time and
// only when its response stream wants more, so a slow client leaves at most one chunk waiting, never the export.
import type { Worker } from 'node:worker_threads';
import { STREAMING_THREAD_LIMITS, startTsWorker } from '../../lib/ts-worker.ts';
import type { ExportFormat } from './export-format.ts';
import type { SliceFilter } from './export-slices.ts';
import type { FilteredReply, FilteredRequest, FilteredWorkerData } from './filtered-export-worker.ts';

export interface Chunk {
  bytes: Buffer;
  rows: number;
  done: boolean;
}
type Asked = Extract<FilteredRequest, { type: 'pull' | 'rows' }>;

export class FilteredExportThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(c: Chunk): void; reject(e: Error): void }>();

  constructor(private readonly opts: FilteredWorkerData & { onError(message: string): void }) {}

  /** The rows of these cases in this order, at most `max` (those no longer public skipped, not counted). */
  async rows(ids: number[], max: number, as: ExportFormat): Promise<Chunk> {
    return this.ask({ type: 'rows', id: this.nextId++, as, ids, max });
  }

  /** The rows a slice filter matches, newest first, at most `max`: one chunk each time the reader wants more. */
  async *slices(filter: SliceFilter, max: number, as: ExportFormat): AsyncGenerator<Buffer> {
    const id = this.nextId++;
    this.thread().postMessage({ type: 'open', id, as, filter, max } satisfies FilteredRequest);
    let done = false;
    try {
      while (!done) {
        const c = await this.ask({ type: 'pull', id });
        done = c.done;
        if (c.bytes.length) yield c.bytes;
      }
    } finally {
      // The client went away (or the thread failed): the thread forgets the cursor.
      if (!done) this.worker?.postMessage({ type: 'close', id } satisfies FilteredRequest);
    }
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.fail(new Error('export thread stopped'));
    if (w) await w.terminate();
  }

  private ask(m: Asked): Promise<Chunk> {
    const w = this.thread();
    return new Promise<Chunk>((resolve, reject) => {
      this.waiting.set(m.id, { resolve, reject });
      w.postMessage(m satisfies FilteredRequest);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const { databasePath, baseUrl } = this.opts;
    const worker = startTsWorker(
      new URL('./filtered-export-worker.ts', import.meta.url),
      {
        databasePath,
        baseUrl,
      } satisfies FilteredWorkerData,
      STREAMING_THREAD_LIMITS,
    );
    worker.on('message', (m: FilteredReply) => {
      const waiter = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.type === 'error') {
        this.opts.onError(m.message);
        waiter?.reject(new Error(m.message));
        return;
      }
      waiter?.resolve({
        bytes: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength),
        rows: m.rows,
        done: m.done,
      });
    });
    worker.on('error', (err) => this.opts.onError(err.message));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null; // the next export starts a new one
      this.fail(new Error('export thread exited'));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private fail(err: Error): void {
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiters) w.reject(err);
  }
}
