// The export thread: builds the whole-board files (CSV and JSON lines) from its own read-only connection, so a build of
// a million cases (minutes of reading, parsing and writing) never touches the event loop that serves requests. Each
// file is written beside its final name and renamed into place: a download in progress keeps reading the old file.
import Database from 'better-sqlite3';
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { CSV_BOM, csvHeader, csvRows, jsonLine } from './export-format.ts';
import type { PublicCase } from './public-case.ts';

export interface ExportMeta {
  /** When the build started, by the app's clock: the files hold the board as it was then (give or take the build). */
  builtAtMs: number;
  rows: number;
  csvBytes: number;
  jsonlBytes: number;
  buildMs: number;
  /** Row count and highest id of the public view at the build: a start compares them to find files made stale offline. */
  fingerprint: string;
}
export interface ExportWorkerData {
  databasePath: string;
  dir: string;
  baseUrl: string;
  sliceRows: number;
}
export type ExportRequest = { type: 'build'; force: boolean; now: number } | { type: 'stop' };
export type ExportReply = { type: 'built' | 'unchanged'; meta: ExportMeta } | { type: 'error'; message: string };

export const EXPORT_FILES = { csv: 'cases.csv', jsonl: 'cases.jsonl', meta: 'cases-meta.json' } as const;

/** The metadata of the files in place, or null when any of them is missing. */
export function readExportMeta(dir: string): ExportMeta | null {
  if (!existsSync(join(dir, EXPORT_FILES.csv)) || !existsSync(join(dir, EXPORT_FILES.jsonl))) return null;
  try {
    return JSON.parse(readFileSync(join(dir, EXPORT_FILES.meta), 'utf8')) as ExportMeta;
  } catch {
    return null;
  }
}

/**
 * A build writes its files to disk as it goes, this many bytes at a time. Left to the kernel, gigabytes of dirty pages
 * pile up and are written back in one go (at the latest by the final fsync), and every fdatasync a filing's answer
 * waits for (wal-sync.ts) then queues behind them: filings took over a second at 1,000,000 cases.
 */
const SYNC_EVERY_BYTES = 8 << 20;

/** Appends text to a file through a 1 MiB buffer: a million small writes would cost more than the formatting. */
function bufferedFile(path: string) {
  const fd = openSync(path, 'w', 0o644);
  let parts: string[] = [];
  let size = 0;
  let unsynced = 0;
  const flush = () => {
    if (parts.length) {
      unsynced += writeSync(fd, parts.join(''));
      parts = [];
      size = 0;
    }
    if (unsynced >= SYNC_EVERY_BYTES) {
      fdatasyncSync(fd);
      unsynced = 0;
    }
  };
  return {
    write(s: string) {
      parts.push(s);
      size += s.length;
      if (size > 1 << 20) flush();
    },
    close(): number {
      flush();
      fsyncSync(fd);
      const bytes = fstatSync(fd).size;
      closeSync(fd);
      return bytes;
    },
  };
}

function run(data: ExportWorkerData) {
  // A background thread: started at BACKGROUND_NICE (startTsWorker's `nice`), it gets the CPU the request thread
  // leaves idle.
  const db = new Database(data.databasePath, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const fingerprintOf = () => {
    const r = db.prepare('SELECT count(*) AS n, coalesce(max(complaint_id), 0) AS top FROM public_cases').get() as {
      n: number;
      top: number;
    };
    return `${r.n}:${r.top}`;
  };
  // Newest first along the filing index; each slice is its own short read, so the WAL can be checkpointed meanwhile.
  // The rest of the cursor's day, then the days before it: two exact seeks (see export-slices.ts).
  const part = (keyset: string, order: string) =>
    `SELECT * FROM (SELECT complaint_id AS id, filed_at AS filedAt, doc FROM public_cases WHERE ${keyset} ORDER BY ${order} LIMIT @limit)`;
  const slice = db.prepare(`${part('filed_at = @filedAt AND complaint_id < @id', 'complaint_id DESC')}
    UNION ALL ${part('filed_at < @filedAt', 'filed_at DESC, complaint_id DESC')} LIMIT @limit`);

  function build(now: number): ExportMeta {
    const started = Date.now();
    mkdirSync(data.dir, { recursive: true });
    // A build cut short (the process stopped mid-way) leaves its temporary files behind: this one replaces them.
    for (const name of readdirSync(data.dir))
      if (name.startsWith('.cases') && name.endsWith('.tmp')) rmSync(join(data.dir, name), { force: true });
    const fingerprint = fingerprintOf();
    const tmp = (name: string) => join(data.dir, `.${name}.${process.pid}.tmp`);
    const csv = bufferedFile(tmp(EXPORT_FILES.csv));
    const jsonl = bufferedFile(tmp(EXPORT_FILES.jsonl));
    csv.write(CSV_BOM + csvHeader());
    let rows = 0;
    let cursor = { filedAt: Number.MAX_SAFE_INTEGER, id: 0 };
    for (;;) {
      const batch = slice.all({ ...cursor, limit: data.sliceRows }) as { id: number; filedAt: number; doc: string }[];
      if (batch.length)
        csv.write(
          csvRows(
            batch.map((r) => JSON.parse(r.doc) as PublicCase),
            data.baseUrl,
          ),
        );
      for (const r of batch) jsonl.write(jsonLine(r.doc));
      rows += batch.length;
      if (batch.length < data.sliceRows) break;
      cursor = { filedAt: batch[batch.length - 1].filedAt, id: batch[batch.length - 1].id };
    }
    const meta: ExportMeta = {
      builtAtMs: now,
      rows,
      csvBytes: csv.close(),
      jsonlBytes: jsonl.close(),
      buildMs: Date.now() - started,
      fingerprint,
    };
    renameSync(tmp(EXPORT_FILES.csv), join(data.dir, EXPORT_FILES.csv));
    renameSync(tmp(EXPORT_FILES.jsonl), join(data.dir, EXPORT_FILES.jsonl));
    writeFileSync(tmp(EXPORT_FILES.meta), JSON.stringify(meta));
    renameSync(tmp(EXPORT_FILES.meta), join(data.dir, EXPORT_FILES.meta));
    return meta;
  }

  parentPort!.on('message', (m: ExportRequest) => {
    if (m.type === 'stop') {
      db.close();
      parentPort!.close();
      return;
    }
    try {
      const current = readExportMeta(data.dir);
      // Without a signal from the app (a start), only files that are missing or made stale offline are rebuilt.
      if (!m.force && current && current.fingerprint === fingerprintOf()) {
        parentPort!.postMessage({ type: 'unchanged', meta: current } satisfies ExportReply);
        return;
      }
      parentPort!.postMessage({ type: 'built', meta: build(m.now) } satisfies ExportReply);
    } catch (err) {
      parentPort!.postMessage({ type: 'error', message: String((err as Error)?.message ?? err) } satisfies ExportReply);
    }
  });
}

if (parentPort && (workerData as { entry?: string } | null)?.entry === import.meta.url)
  run(workerData as ExportWorkerData);
