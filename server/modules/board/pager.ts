// The case list's paging: five page links around the current one, never past the search window, every filter kept;
// and the empty filters a refused query's page is drawn with.
import { MAX_RESULT_WINDOW, type SearchResult } from '../search/types.ts';
import { filtersToQueryString, type BoardFilters } from './query.ts';

export const EMPTY_FILTERS: BoardFilters = {
  q: '',
  provider: '',
  category: '',
  status: '',
  from: '',
  to: '',
  amountMin: null,
  amountMax: null,
  sort: '',
  page: 1,
  pageSize: 20,
};

export function pagination(f: BoardFilters, r: SearchResult) {
  const last = Math.max(1, Math.min(Math.ceil(r.total / r.pageSize), Math.floor(MAX_RESULT_WINDOW / r.pageSize)));
  const from = Math.max(1, Math.min(f.page - 2, last - 4));
  const pages = Array.from({ length: Math.min(5, last) }, (_, i) => from + i).map((n) => ({
    n,
    href: `/cases${filtersToQueryString(f, { page: n })}`,
    current: n === f.page,
  }));
  return {
    pages,
    last,
    show: last > 1,
    prev: f.page > 1 ? `/cases${filtersToQueryString(f, { page: f.page - 1 })}` : null,
    next: f.page < last ? `/cases${filtersToQueryString(f, { page: f.page + 1 })}` : null,
  };
}
