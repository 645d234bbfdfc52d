// A filtered export (GET /api/v1/cases.csv?… and .jsonl?…): counted first, so the answer can say before its first byte
// whether it is complete, then streamed a slice at a time. Without a search word, public_cases is read along its
// indexes (export-slices.ts); with one, the search index decides, a page at a time, up to its result window.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Sqlite } from '../../db/database.ts';
import { MAX_RESULT_WINDOW, type SearchQuery } from '../search/types.ts';
import { CSV_BOM, csvHeader, csvRow, jsonLine } from './export-format.ts';
import { caseSlices, type SliceFilter } from './export-slices.ts';
import type { PublicCase } from './public-case.ts';
import type { BoardReader } from './reader.ts';

export type ExportFormat = 'csv' | 'jsonl';
const SEARCH_PAGE = 100;

export interface OpenedExport {
  /** Most rows an export may hold (EXPORT_MAX_ROWS, or the search index's result window when lower). */
  limit: number;
  /** How many cases match; null when more than the limit do (they are not counted further). */
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

  async function* format(chunks: AsyncIterable<string[]>, as: ExportFormat): AsyncGenerator<string> {
    if (as === 'csv') yield CSV_BOM + csvHeader();
    for await (const docs of chunks) {
      yield as === 'csv' ? docs.map((d) => csvRow(JSON.parse(d) as PublicCase, deps.baseUrl)).join('') : docs.map(jsonLine).join('');
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
      const counted = await slices.count(filter, limit + 1);
      const truncated = counted > limit;
      return { limit, total: truncated ? null : counted, truncated, body: format(slices.docs(filter, limit), as) };
    },
  };
}

export type FilteredExports = ReturnType<typeof filteredExports>;
