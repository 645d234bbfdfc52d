// A filtered export (GET /api/v1/cases.csv?… and .jsonl?…): counted first (as the list counts), so the answer can say
// before its first byte whether it is complete, then streamed. Without a search word, public_cases is read along its
// indexes (export-slices.ts); with one, the search index decides, a page at a time, up to its result window. With a
// database file, the export thread reads and formats the rows (filtered-export-thread.ts); otherwise this thread does,
// a few milliseconds of work at a time.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Sqlite } from '../../db/database.ts';
import { MAX_RESULT_WINDOW, type SearchQuery } from '../search/types.ts';
import { CSV_BOM, csvHeader, formatDocs, type ExportFormat } from './export-format.ts';
import { TURN_BUDGET_MS, caseSlices, type SliceFilter } from './export-slices.ts';
import type { FilteredExportThread } from './filtered-export-thread.ts';
import type { BoardReader } from './reader.ts';

export type { ExportFormat } from './export-format.ts';
const SEARCH_PAGE = 100;
/** CSV rows per csv-stringify call: small enough that a batch stays well inside one turn's budget. */
const CSV_BATCH = 16;

export interface OpenedExport {
  /** Most rows an export may hold (EXPORT_MAX_ROWS, or the search index's result window when lower). */
  limit: number;
  /** How many cases match (as GET /api/v1/cases counts them); null when more than the limit do. */
  total: number | null;
  truncated: boolean;
  body: AsyncGenerator<string | Buffer>;
}

export interface FilteredExportDeps {
  sqlite: Sqlite;
  reader: BoardReader;
  /** Provider id by slug: null for a slug that names no public provider. */
  providerId(slug: string): number | null;
  baseUrl: string;
  maxRows: number;
  /**
   * Reads and formats the rows off the event loop (a database file); without it (an in-memory database, which no
   * other thread can open) they are read and formatted here, a few milliseconds at a time, by the same formatter.
   */
  thread: FilteredExportThread | null;
}

/** True when the query has no filter at all: the whole board, which is served as a prebuilt file instead. */
export const isWholeBoard = (q: SearchQuery) =>
  !q.q &&
  !q.provider &&
  !q.category &&
  !q.status &&
  q.from === undefined &&
  q.to === undefined &&
  q.amountMin === undefined &&
  q.amountMax === undefined;

/** Which cases an export holds: those a slice filter matches, or the search index's hits (first page already found). */
type Selection = { filter: SliceFilter } | { query: SearchQuery; first: number[] };

export function filteredExports(deps: FilteredExportDeps) {
  const slices = caseSlices(deps.sqlite);
  const { thread } = deps;

  /** The hits' ids a page at a time, up to the search index's result window; the caller stops at its cap. */
  async function* idPages(query: SearchQuery, first: number[]): AsyncGenerator<number[]> {
    let ids = first;
    for (let page = 1; ; page++) {
      if (ids.length) yield ids;
      if (page * SEARCH_PAGE >= MAX_RESULT_WINDOW) return;
      await nextTurn();
      const r = await deps.reader.search({ ...query, facets: false, page: page + 1, pageSize: SEARCH_PAGE });
      if (r.items.length === 0) return;
      ids = r.items.map((h) => h.id);
    }
  }

  async function* searchDocs(query: SearchQuery, first: number[], limit: number): AsyncGenerator<string[]> {
    let left = limit;
    for await (const ids of idPages(query, first)) {
      const docs = deps.reader.manyRaw(ids).slice(0, left);
      left -= docs.length;
      if (docs.length) yield docs;
      if (left <= 0) return;
    }
  }

  /**
   * In this thread: rows formatted for at most TURN_BUDGET_MS at a time (parsing a stored view costs more than reading
   * it). CSV rows are formatted CSV_BATCH at a time (one csv-stringify call each), so the budget is checked often.
   */
  async function* here(chunks: AsyncIterable<string[]>, as: ExportFormat): AsyncGenerator<string> {
    if (as === 'csv') yield CSV_BOM + csvHeader();
    const step = as === 'csv' ? CSV_BATCH : 1;
    for await (const docs of chunks) {
      let out = '';
      let started = performance.now();
      for (let i = 0; i < docs.length; i += step) {
        out += formatDocs(docs.slice(i, i + step), as, deps.baseUrl);
        if (performance.now() - started >= TURN_BUDGET_MS) {
          yield out;
          out = '';
          await nextTurn();
          started = performance.now();
        }
      }
      if (out) yield out;
    }
  }

  /** In the export thread: this thread only picks the search hits' ids; reading and formatting happen there. */
  async function* there(
    t: FilteredExportThread,
    s: Selection,
    limit: number,
    as: ExportFormat,
  ): AsyncGenerator<string | Buffer> {
    if (as === 'csv') yield CSV_BOM + csvHeader();
    if ('filter' in s) {
      yield* t.slices(s.filter, limit, as);
      return;
    }
    let left = limit;
    for await (const ids of idPages(s.query, s.first)) {
      const c = await t.rows(ids, left, as);
      left -= c.rows;
      if (c.rows) yield c.bytes;
      if (left <= 0) return;
    }
  }

  const body = (s: Selection, limit: number, as: ExportFormat) =>
    thread
      ? there(thread, s, limit, as)
      : here('filter' in s ? slices.docs(s.filter, limit) : searchDocs(s.query, s.first, limit), as);

  return {
    async open(query: SearchQuery, as: ExportFormat): Promise<OpenedExport> {
      if (query.q) {
        const limit = Math.min(deps.maxRows, MAX_RESULT_WINDOW);
        const r = await deps.reader.search({ ...query, facets: false, page: 1, pageSize: SEARCH_PAGE });
        const truncated = r.total > limit;
        const first = r.items.map((h) => h.id);
        return { limit, total: truncated ? null : r.total, truncated, body: body({ query, first }, limit, as) };
      }
      const limit = deps.maxRows;
      const providerId = query.provider ? deps.providerId(query.provider) : undefined;
      if (providerId === null) return { limit, total: 0, truncated: false, body: here((async function* () {})(), as) };
      const filter: SliceFilter = {
        providerId,
        category: query.category,
        status: query.status,
        from: query.from,
        to: query.to,
        amountMin: query.amountMin,
        amountMax: query.amountMax,
      };
      // Counted as the list counts (GET /api/v1/cases total, from the search index): one query, not a scan.
      const counted = (await deps.reader.search({ ...query, facets: false, page: 1, pageSize: 1 })).total;
      const truncated = counted > limit;
      return { limit, total: truncated ? null : counted, truncated, body: body({ filter }, limit, as) };
    },
  };
}

export type FilteredExports = ReturnType<typeof filteredExports>;
