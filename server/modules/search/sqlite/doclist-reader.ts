// Reads doclists and the vocabulary for the warm-up in a worker thread with its own read-only connection, so the
// SQLite work (seconds at 1,000,000 cases, single calls of up to 300 ms for the commonest words) never holds the
// event loop; FTS5 cannot read a doclist in pieces (a rowid range costs about as much as the whole list), so
// slicing it on the main thread is not possible. The ords come back as transferred buffers, no copy.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ReplyThread } from '../../../lib/reply-thread.ts';

export interface ReadDoclist {
  all: Int32Array;
  title: Int32Array;
  /** Highest ord ever handed out in the snapshot read: every case written later has a larger one. */
  boundary: number;
}

// Plain CommonJS for the thread, so it needs no TypeScript loader (like db/checkpointer.ts).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
const fetch = db.prepare('SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH ?').pluck();
const seq = db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'search_doc'), 0)").pluck();
const vocab = db.prepare('SELECT term, doc FROM search_vocab WHERE doc >= ? ORDER BY doc DESC LIMIT ?').raw();
function parse(s) {
  if (!s) return new Int32Array(0);
  let n = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 44) n++;
  const out = new Int32Array(n);
  let k = 0, v = 0;
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c === 44) { out[k++] = v; v = 0; } else v = v * 10 + (c - 48); }
  out[k] = v;
  for (let i = 1; i < out.length; i++) if (out[i] <= out[i - 1]) return out.sort();
  return out;
}
const read = db.transaction((q) => ({ all: parse(fetch.get(q)), title: parse(fetch.get('title : ' + q)), boundary: seq.get() }));
parentPort.on('message', (m) => {
  try {
    if (m.kind === 'vocabulary') parentPort.postMessage({ id: m.id, rows: vocab.all(m.minDocs, m.maxTerms) });
    else {
      const r = read(m.query);
      parentPort.postMessage({ id: m.id, ...r }, [r.all.buffer, r.title.buffer]);
    }
  } catch (err) { parentPort.postMessage({ id: m.id, error: String(err && err.message || err) }); }
});
`;

interface ReaderQuestion {
  id: number;
  kind: 'vocabulary' | 'doclist';
  [key: string]: unknown;
}
type ReaderAnswer = { id: number; error?: string } & Record<string, unknown>;

export class DoclistReader {
  private readonly thread: ReplyThread<ReaderQuestion, ReaderAnswer>;

  constructor(path: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // holdOpen: a script that warms an index (bench-search-engine.ts --warm) must get its lists before it exits; an
    // idle reader never holds a process open.
    this.thread = new ReplyThread({
      name: 'doclist reader',
      holdOpen: true,
      // execArgv: [] — the source is CommonJS, whatever flags the process was started with (--input-type=module).
      start: () => new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { path, driver } }),
    });
  }

  /** Words in at least `minDocs` cases, commonest first (fts5vocab walks every doclist: seconds at 1M). */
  async vocabulary(minDocs: number, maxTerms: number): Promise<{ term: string; doc: number }[]> {
    const { rows } = (await this.ask({ kind: 'vocabulary', minDocs, maxTerms })) as unknown as {
      rows: [string, number][];
    };
    return rows.map(([term, doc]) => ({ term, doc }));
  }

  /** A word's doclist and title doclist from one snapshot. `query` is the quoted word (postings.ts quoteTerm). */
  async read(query: string): Promise<ReadDoclist> {
    return (await this.ask({ kind: 'doclist', query })) as unknown as ReadDoclist;
  }

  async close(): Promise<void> {
    await this.thread.stop();
  }

  private async ask(message: Omit<ReaderQuestion, 'id'>): Promise<ReaderAnswer> {
    const answer = await this.thread.ask({ ...message, id: this.thread.newId() } as ReaderQuestion);
    if (answer.error) throw new Error(answer.error);
    return answer;
  }
}
