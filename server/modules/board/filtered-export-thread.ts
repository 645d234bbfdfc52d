// The request thread's side of the filtered-export thread (filtered-export-worker.ts): one long-lived thread shared by
// every filtered export, started on the first and again after a crash (lib/reply-thread.ts). Each export asks for one
// chunk at a time and only when its response stream wants more, so a slow client leaves at most one chunk waiting,
// never the export.
import { ReplyThread } from '../../lib/reply-thread.ts';
import { BACKGROUND_NICE } from '../../lib/thread-priority.ts';
import { STREAMING_THREAD_LIMITS, startTsWorker } from '../../lib/ts-worker.ts';
import type { ExportFormat } from './export-format.ts';
import type { SliceFilter } from './export-slices.ts';
import type { FilteredReply, FilteredRequest, FilteredWorkerData } from './filtered-export-worker.ts';

export interface Chunk {
  bytes: Buffer;
  rows: number;
  done: boolean;
}

export class FilteredExportThread {
  private readonly thread: ReplyThread<FilteredRequest, FilteredReply>;

  constructor(private readonly opts: FilteredWorkerData & { onError(message: string): void }) {
    const { databasePath, baseUrl } = opts;
    this.thread = new ReplyThread({
      name: 'export thread',
      onError: (err) => opts.onError(err.message),
      start: () =>
        startTsWorker(
          new URL('./filtered-export-worker.ts', import.meta.url),
          { databasePath, baseUrl } satisfies FilteredWorkerData,
          { resourceLimits: STREAMING_THREAD_LIMITS, nice: BACKGROUND_NICE },
        ),
    });
  }

  /** The rows of these cases in this order, at most `max` (those no longer public skipped, not counted). */
  async rows(ids: number[], max: number, as: ExportFormat): Promise<Chunk> {
    return this.chunk({ type: 'rows', id: this.thread.newId(), as, ids, max });
  }

  /** The rows a slice filter matches, newest first, at most `max`: one chunk each time the reader wants more. */
  async *slices(filter: SliceFilter, max: number, as: ExportFormat): AsyncGenerator<Buffer> {
    const id = this.thread.newId();
    this.thread.tell({ type: 'open', id, as, filter, max });
    let done = false;
    try {
      while (!done) {
        const c = await this.chunk({ type: 'pull', id });
        done = c.done;
        if (c.bytes.length) yield c.bytes;
      }
    } finally {
      // The client went away (or the thread failed): the thread forgets the cursor.
      if (!done) this.thread.tellIfRunning({ type: 'close', id });
    }
  }

  stop(): Promise<void> {
    return this.thread.stop();
  }

  private async chunk(m: Extract<FilteredRequest, { type: 'pull' | 'rows' }>): Promise<Chunk> {
    const r = await this.thread.ask(m);
    if (r.type === 'error') {
      this.opts.onError(r.message);
      throw new Error(r.message);
    }
    return { bytes: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength), rows: r.rows, done: r.done };
  }
}
