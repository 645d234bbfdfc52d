// Filtered exports read public_cases along the filing index, newest first, in slices: each slice is one prepared
// statement that looks at a bounded number of index entries (the filters the index cannot answer are tested on those
// rows only), and the event loop gets a turn every few milliseconds. A sparse filter over a million cases therefore
// takes many short turns, never one long scan.
import type { Statement } from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as rest } from 'node:timers/promises';
import type { Sqlite } from '../../db/database.ts';
import type { SearchQuery } from '../search/types.ts';

/** The list's filters (filing day bounds from inclusive, to exclusive), the provider by its row id. */
export type SliceFilter = Pick<SearchQuery, 'category' | 'status' | 'from' | 'to' | 'amountMin' | 'amountMax'> & {
  providerId?: number;
};

interface Row {
  id: number;
  filedAt: number;
  hit: number | null;
  doc: string | null;
}
/** Where reading goes on from: the last row read (newest first). */
export interface SliceCursor {
  filedAt: number;
  id: number;
}
export const FIRST_SLICE: SliceCursor = { filedAt: Number.MAX_SAFE_INTEGER, id: 0 };

/** Index entries one statement looks at, and how long reading may hold the event loop before it gets a turn. */
export const SLICE_ROWS = 32;
export const TURN_BUDGET_MS = 2;
/**
 * After each turn of reading, an export rests this many times as long as the turn took (reading and formatting cost
 * about the same, so an export takes at most about a third of the process): a client looping exports cannot crowd
 * out everyone else on a busy server. A 50,000-row export then takes a few seconds instead of one.
 */
export const REST_FACTOR = 4;

export function caseSlices(sqlite: Sqlite) {
  // One statement per combination of filters present (at most 2^7), prepared on first use.
  const prepared = new Map<string, Statement>();

  function statement(f: SliceFilter): Statement {
    const indexed: string[] = [];
    if (f.providerId !== undefined) indexed.push('provider_id = @providerId');
    if (f.from !== undefined) indexed.push('filed_at >= @from');
    if (f.to !== undefined) indexed.push('filed_at < @to');
    const rest: string[] = [];
    if (f.category !== undefined) rest.push('category = @category');
    if (f.status !== undefined) rest.push('status = @status');
    if (f.amountMin !== undefined) rest.push('amount_fen >= @amountMin');
    if (f.amountMax !== undefined) rest.push('amount_fen <= @amountMax');
    const key = [...indexed, '|', ...rest].join(' AND ');
    let s = prepared.get(key);
    if (!s) {
      const hit = rest.length ? rest.join(' AND ') : '1';
      // A document is read only for a row that matches: the others cost an index entry and a few columns.
      const part = (
        keyset: string,
        order: string,
      ) => `SELECT * FROM (SELECT complaint_id AS id, filed_at AS filedAt, ${hit} AS hit,
        CASE WHEN ${hit} THEN doc END AS doc FROM public_cases WHERE ${[keyset, ...indexed].join(' AND ')} ORDER BY ${order} LIMIT @limit)`;
      // filed_at is a day: thousands of cases share one. SQLite seeks a row value (filed_at, id) < (?, ?) by its first
      // column only and would walk the cursor's day from the top each time; the rest of that day, then the days
      // before it, are two exact seeks.
      s = sqlite.prepare(`${part('filed_at = @afterFiledAt AND complaint_id < @afterId', 'complaint_id DESC')}
        UNION ALL ${part('filed_at < @afterFiledAt', 'filed_at DESC, complaint_id DESC')} LIMIT @limit`);
      prepared.set(key, s);
    }
    return s;
  }

  function params(f: SliceFilter, after: SliceCursor): Record<string, unknown> {
    const p: Record<string, unknown> = { afterFiledAt: after.filedAt, afterId: after.id, limit: SLICE_ROWS };
    for (const [k, v] of Object.entries(f)) if (v !== undefined) p[k] = v;
    return p;
  }

  /**
   * One turn of reading from `after` on: statements of SLICE_ROWS index entries until `want` documents match, `budgetMs`
   * has passed or the filter has no rows left. Synchronous, so the export thread reads with it the same way.
   */
  function read(
    f: SliceFilter,
    after: SliceCursor,
    want: number,
    budgetMs: number,
  ): { docs: string[]; after: SliceCursor; more: boolean } {
    const s = statement(f);
    const started = performance.now();
    const docs: string[] = [];
    let more = true;
    while (more && docs.length < want && performance.now() - started < budgetMs) {
      const rows = s.all(params(f, after)) as Row[];
      more = rows.length === SLICE_ROWS;
      // The cursor stops at the last row taken: a turn that fills up mid-slice leaves the rest for the next one.
      for (let i = 0; i < rows.length; i++) {
        after = { filedAt: rows[i].filedAt, id: rows[i].id };
        if (rows[i].hit) docs.push(rows[i].doc!);
        if (docs.length === want) {
          more ||= i < rows.length - 1;
          break;
        }
      }
    }
    return { docs, after, more };
  }

  return {
    read,
    /**
     * The stored public views that match, newest first, at most `max`: one array per turn of the event loop, read
     * for at most TURN_BUDGET_MS (a sparse filter yields empty-handed turns), then a rest.
     */
    async *docs(f: SliceFilter, max: number): AsyncGenerator<string[]> {
      let after = FIRST_SLICE;
      let left = max;
      for (let more = true; more && left > 0; ) {
        const started = performance.now();
        const turn = read(f, after, left, TURN_BUDGET_MS);
        const busy = performance.now() - started;
        ({ after, more } = turn);
        left -= turn.docs.length;
        yield turn.docs;
        if (more && left > 0) await (busy >= 0.5 ? rest(busy * REST_FACTOR) : nextTurn());
      }
    },
  };
}

export type CaseSlices = ReturnType<typeof caseSlices>;
