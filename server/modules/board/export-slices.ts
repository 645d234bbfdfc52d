// Filtered exports read public_cases along the filing index, newest first, a slice at a time: each slice is one
// prepared statement that looks at a bounded number of index entries (the filters the index cannot answer are tested
// on those rows only), and the event loop gets a turn between slices. A sparse filter over a million cases therefore
// takes many short slices, never one long scan.
import type { Statement } from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Sqlite } from '../../db/database.ts';

export interface SliceFilter {
  providerId?: number;
  category?: string;
  status?: string;
  /** Filing day bounds, epoch ms: from inclusive, to exclusive. */
  from?: number;
  to?: number;
  amountMin?: number;
  amountMax?: number;
}

interface Row { id: number; filedAt: number; hit: number | null; doc?: string | null }
interface Statements { keys: Statement; docs: Statement }

/** Index entries looked at per slice when counting (no documents read) and when reading documents. */
export const SLICE = { count: 2000, docs: 200 } as const;

export function caseSlices(sqlite: Sqlite) {
  // One pair of statements per combination of filters present (at most 2^7), prepared on first use.
  const prepared = new Map<string, Statements>();

  function statements(f: SliceFilter): Statements {
    const indexed = ['(filed_at, complaint_id) < (@afterFiledAt, @afterId)'];
    if (f.providerId !== undefined) indexed.push('provider_id = @providerId');
    if (f.from !== undefined) indexed.push('filed_at >= @from');
    if (f.to !== undefined) indexed.push('filed_at < @to');
    const rest: string[] = [];
    if (f.category !== undefined) rest.push('category = @category');
    if (f.status !== undefined) rest.push('status = @status');
    if (f.amountMin !== undefined) rest.push('amount_fen >= @amountMin');
    if (f.amountMax !== undefined) rest.push('amount_fen <= @amountMax');
    const key = [...indexed, ...rest].join(' AND ');
    let s = prepared.get(key);
    if (!s) {
      const hit = rest.length ? rest.join(' AND ') : '1';
      const tail = `FROM public_cases WHERE ${indexed.join(' AND ')} ORDER BY filed_at DESC, complaint_id DESC LIMIT @limit`;
      s = {
        keys: sqlite.prepare(`SELECT complaint_id AS id, filed_at AS filedAt, ${hit} AS hit ${tail}`),
        // A document is read only for a row that matches: the others cost an index entry and a few columns.
        docs: sqlite.prepare(`SELECT complaint_id AS id, filed_at AS filedAt, ${hit} AS hit, CASE WHEN ${hit} THEN doc END AS doc ${tail}`),
      };
      prepared.set(key, s);
    }
    return s;
  }

  function params(f: SliceFilter, after: { filedAt: number; id: number }, limit: number): Record<string, unknown> {
    const p: Record<string, unknown> = { afterFiledAt: after.filedAt, afterId: after.id, limit };
    for (const [k, v] of Object.entries(f)) if (v !== undefined) p[k] = v;
    return p;
  }

  async function* scan(f: SliceFilter, stmt: 'keys' | 'docs', limit: number): AsyncGenerator<Row[]> {
    const s = statements(f)[stmt];
    let after = { filedAt: Number.MAX_SAFE_INTEGER, id: 0 };
    for (let first = true; ; first = false) {
      if (!first) await nextTurn();
      const rows = s.all(params(f, after, limit)) as Row[];
      yield rows;
      if (rows.length < limit) return;
      after = rows[rows.length - 1];
    }
  }

  return {
    /** How many public cases match, counting no further than `upTo` (enough to tell whether an export is complete). */
    async count(f: SliceFilter, upTo: number): Promise<number> {
      let n = 0;
      for await (const rows of scan(f, 'keys', SLICE.count)) {
        for (const r of rows) if (r.hit) n++;
        if (n >= upTo) return upTo;
      }
      return n;
    },

    /** The stored public views that match, newest first, at most `max`, one array per slice. */
    async *docs(f: SliceFilter, max: number): AsyncGenerator<string[]> {
      let left = max;
      for await (const rows of scan(f, 'docs', SLICE.docs)) {
        const docs = rows.filter((r) => r.hit).map((r) => r.doc as string).slice(0, left);
        left -= docs.length;
        if (docs.length) yield docs;
        if (left <= 0) return;
      }
    },
  };
}

export type CaseSlices = ReturnType<typeof caseSlices>;
