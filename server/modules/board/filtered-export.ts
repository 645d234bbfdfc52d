// A filtered export (GET /api/v1/cases.csv?… and .jsonl?…): counted first (as the list counts), so the answer can say
// before its first byte whether it is complete, then streamed a few milliseconds of work at a time. Without a search word, public_cases is read along its
// indexes (export-slices.ts); with one, the search index decides, a page at a time, up to its result window.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Sqlite } from '../../db/database.ts';
import { MAX_RESULT_WINDOW, type SearchQuery } from '../search/types.ts';
import { CSV_BOM, csvHeader, csvRows, jsonLine } from './export-format.ts';
import { TURN_BUDGET_MS, caseSlices, type SliceFilter } from './export-slices.ts';
import type { PublicCase } from './public-case.ts';
import type { BoardReader } from './reader.ts';

export type ExportFormat = 'csv' | 'jsonl';
const SEARCH_PAGE = 100;
/** CSV rows per csv-stringify call: small enough that a batch stays well inside one turn's budget. */
const CSV_BATCH = 16;

export interface OpenedExport {
  /** Most rows an export may hold (EXPORT_MAX_ROWS, or the search index's result window when lower). */
  limit: number;
  /** How many cases match (as GET /api/v1/cases counts them); null when more than the limit do. */
  total: number | null;
  truncated: boolean;
  body: AsyncGenerator<string>;
}

export interface FilteredExportDeps {
  sqlite: Sqlite;
  reader: BoardReader;
  /** Provider id by slug: null for a slug that names no public provider. */
  providerId(slug: string): number | null;
  baseUrl: string;
  maxRows: number;
}

/** True when the query has no filter at all: the whole board, which is served as a prebuilt file instead. */
export const isWholeBoard = (q: SearchQuery) =>
  !q.q && !q.provider && !q.category && !q.status && q.from === undefined && q.to === undefined && q.amountMin === undefined && q.amountMax === undefined;

export function filteredExports(deps: FilteredExportDeps) {
  const slices = caseSlices(deps.sqlite);

  async function* bySearch(query: SearchQuery, limit: number, first: string[]): AsyncGenerator<string[]> {
    let left = limit;
    let docs = first;
    for (let page = 1; ; page++) {
      docs = docs.slice(0, left);
      left -= docs.length;
      if (docs.length) yield docs;
      if (left <= 0 || page * SEARCH_PAGE >= MAX_RESULT_WINDOW) return;
      await nextTurn();
      const r = await deps.reader.search({ ...query, facets: false, page: page + 1, pageSize: SEARCH_PAGE });
      if (r.items.length === 0) return;
      docs = deps.reader.manyRaw(r.items.map((h) => h.id));
    }
  }

  /**
   * Rows formatted for at most TURN_BUDGET_MS at a time: parsing a stored view costs more than reading it. CSV rows are
   * formatted CSV_BATCH at a time (one csv-stringify call each), so the budget is checked as often as before.
   */
  async function* format(chunks: AsyncIterable<string[]>, as: ExportFormat): AsyncGenerator<string> {
    if (as === 'csv') yield CSV_BOM + csvHeader();
    const step = as === 'csv' ? CSV_BATCH : 1;
    for await (const docs of chunks) {
      let out = '';
      let started = performance.now();
      for (let i = 0; i < docs.length; i += step) {
        const some = docs.slice(i, i + step);
        out += as === 'csv' ? csvRows(some.map((d) => JSON.parse(d) as PublicCase), deps.baseUrl) : some.map(jsonLine).join('');
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

  return {
    async open(query: SearchQuery, as: ExportFormat): Promise<OpenedExport> {
      if (query.q) {
        const limit = Math.min(deps.maxRows, MAX_RESULT_WINDOW);
        const r = await deps.reader.search({ ...query, facets: false, page: 1, pageSize: SEARCH_PAGE });
        const truncated = r.total > limit;
        const first = deps.reader.manyRaw(r.items.map((h) => h.id));
        return { limit, total: truncated ? null : r.total, truncated, body: format(bySearch(query, limit, first), as) };
      }
      const limit = deps.maxRows;
      const providerId = query.provider ? deps.providerId(query.provider) : undefined;
      if (providerId === null) return { limit, total: 0, truncated: false, body: format((async function* () {})(), as) };
      const filter: SliceFilter = {
        providerId, category: query.category, status: query.status, from: query.from, to: query.to, amountMin: query.amountMin, amountMax: query.amountMax,
      };
      // Counted as the list counts (GET /api/v1/cases total, from the search index): one query, not a scan.
      const counted = (await deps.reader.search({ ...query, facets: false, page: 1, pageSize: 1 })).total;
      const truncated = counted > limit;
      return { limit, total: truncated ? null : counted, truncated, body: format(slices.docs(filter, limit), as) };
    },
  };
}

export type FilteredExports = ReturnType<typeof filteredExports>;
