// The filtered-export thread: reads the stored public views of filtered exports from its own read-only connection and
// formats them (CSV or JSON lines), so parsing and formatting never hold the event loop that serves requests. The
// request's thread still decides which cases: it passes a slice filter (read here, newest first, from a cursor kept
// per export) or, for a search word, the ids of each page of hits. It answers one chunk per request, so the HTTP
// response's pace (the stream asks for more when its client has taken what it had) is the thread's pace too.
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { formatDocs, type ExportFormat } from './export-format.ts';
import { FIRST_SLICE, caseSlices, type SliceCursor, type SliceFilter } from './export-slices.ts';
import { publicDocs } from './reader.ts';

export interface FilteredWorkerData {
  databasePath: string;
  baseUrl: string;
}
export type FilteredRequest =
  /** Opens a cursor over the cases a slice filter matches, at most `max` of them. */
  | { type: 'open'; id: number; as: ExportFormat; filter: SliceFilter; max: number }
  /** The next chunk of an open cursor: `done` once it has no rows left (the cursor is then dropped). */
  | { type: 'pull'; id: number }
  /** The rows of these cases, in this order, at most `max` (those no longer public skipped, not counted). */
  | { type: 'rows'; id: number; as: ExportFormat; ids: number[]; max: number }
  /** The client went away: the cursor is dropped. */
  | { type: 'close'; id: number };
/** A chunk is UTF-8 bytes whose buffer is transferred, not copied; `rows` is how many cases it holds. */
export type FilteredReply =
  | { type: 'chunk'; id: number; bytes: Uint8Array; rows: number; done: boolean }
  | { type: 'error'; id: number; message: string };

/**
 * Rows a chunk holds at most, and how long one may take: other exports wait meanwhile (the thread answers in order),
 * and a sparse filter answers empty-handed rather than scan for long.
 */
export const CHUNK_ROWS = 256;
export const CHUNK_MS = 10;
/** Rest after each answer, as a share of the time it took: 1 keeps the thread busy at most half the time. */
export const REST_RATIO = 1;

interface Cursor {
  as: ExportFormat;
  filter: SliceFilter;
  left: number;
  after: SliceCursor;
}

function run(data: FilteredWorkerData) {
  // A background thread: started at BACKGROUND_NICE (startTsWorker's `nice`), it gets the CPU the request thread
  // leaves idle.
  const db = new Database(data.databasePath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const slices = caseSlices(db);
  const docsOf = publicDocs(db);
  const cursors = new Map<number, Cursor>();
  const encoder = new TextEncoder();

  const reply = (id: number, text: string, rows: number, done: boolean) => {
    const bytes = encoder.encode(text);
    parentPort!.postMessage({ type: 'chunk', id, bytes, rows, done } satisfies FilteredReply, [bytes.buffer]);
  };

  function answer(m: FilteredRequest) {
    if (m.type === 'close') {
      cursors.delete(m.id);
      return;
    }
    if (m.type === 'rows') {
      const docs = docsOf(m.ids).slice(0, m.max);
      reply(m.id, formatDocs(docs, m.as, data.baseUrl), docs.length, true);
      return;
    }
    if (m.type === 'open') cursors.set(m.id, { as: m.as, filter: m.filter, left: m.max, after: FIRST_SLICE });
    const c = cursors.get(m.id);
    if (!c) throw new Error(`no export ${m.id}`);
    if (m.type === 'open') return;
    const turn =
      c.left > 0
        ? slices.read(c.filter, c.after, Math.min(c.left, CHUNK_ROWS), CHUNK_MS)
        : { docs: [], after: c.after, more: false };
    c.after = turn.after;
    c.left -= turn.docs.length;
    const done = !turn.more || c.left <= 0;
    if (done) cursors.delete(m.id);
    reply(m.id, formatDocs(turn.docs, c.as, data.baseUrl), turn.docs.length, done);
  }

  // Requests are answered in order, each followed by a rest as long as its work (REST_RATIO): a client looping
  // exports gets about half a core, and the other half stays with the requests of everyone else (2-core machines).
  const queue: FilteredRequest[] = [];
  let restUntil = 0;
  let waiting = false;
  const pump = () => {
    waiting = false;
    const rest = restUntil - performance.now();
    if (rest > 0) {
      waiting = true;
      setTimeout(pump, rest);
      return;
    }
    const m = queue.shift();
    if (!m) return;
    const started = performance.now();
    try {
      answer(m);
    } catch (err) {
      cursors.delete(m.id);
      parentPort!.postMessage({
        type: 'error',
        id: m.id,
        message: String((err as Error)?.message ?? err),
      } satisfies FilteredReply);
    }
    restUntil = performance.now() + (performance.now() - started) * REST_RATIO;
    if (queue.length) {
      waiting = true;
      setImmediate(pump);
    }
  };
  parentPort!.on('message', (m: FilteredRequest) => {
    queue.push(m);
    if (!waiting) pump();
  });
}

if (parentPort && (workerData as { entry?: string } | null)?.entry === import.meta.url)
  run(workerData as FilteredWorkerData);
