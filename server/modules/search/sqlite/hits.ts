// Shaping results: a hit from the in-memory columns and the stored text, and facet counts from their code arrays.
import { highlightAll, snippet } from '../highlight.ts';
import type { SearchHit, SearchResult } from '../types.ts';
import type { ColumnStore } from './columns.ts';
import type { SearchTables } from './store.ts';

type HitText = Pick<SearchHit, 'title' | 'titleHighlighted' | 'snippet'>;

/** The stored title and a snippet around the first match, escaped and marked. */
function textOf(tables: SearchTables, ord: number, matcher: RegExp | null): HitText {
  const row = tables.doc(ord);
  const title = row?.title ?? '';
  return { title, titleHighlighted: highlightAll(title, matcher), snippet: snippet(row?.body ?? '', matcher) };
}

/** What a hit takes from the in-memory columns. */
function columnsOf(store: ColumnStore, ord: number): Omit<SearchHit, keyof HitText> {
  const provider = store.providerOf(ord);
  return {
    id: store.id[ord],
    provider: store.providers.values[provider],
    providerName: store.providerNames[provider],
    category: store.categories.values[store.categoryOf(ord)],
    status: store.statuses.values[store.statusOf(ord)],
    amountFen: store.amount[ord],
    filedAt: store.filedAt[ord],
    overdue: store.overdueOf(ord),
  };
}

/** One result as the API shows it: its columns, the stored title and a snippet around the first match. */
export function toHit(store: ColumnStore, tables: SearchTables, ord: number, matcher: RegExp | null): SearchHit {
  const { id, ...rest } = columnsOf(store, ord);
  return { id, ...textOf(tables, ord, matcher), ...rest };
}

/**
 * A hit whose stored text (title, highlighted title, snippet) is read when first used, for similar(): its pool of 50
 * feeds the outcome statistics by id, and only the few shown need their text (reading 50 texts cost more than
 * scoring). The text fields are own enumerable getters, so spreading the hit or serialising it reads them.
 */
export function toLazyHit(store: ColumnStore, tables: SearchTables, ord: number, matcher: RegExp | null): SearchHit {
  let text: HitText | null = null;
  const read = () => (text ??= textOf(tables, ord, matcher));
  return Object.defineProperties(columnsOf(store, ord), {
    title: { get: () => read().title, enumerable: true },
    titleHighlighted: { get: () => read().titleHighlighted, enumerable: true },
    snippet: { get: () => read().snippet, enumerable: true },
  }) as SearchHit;
}

export function countsTo(counts: Int32Array, values: string[], into: Record<string, number>): void {
  for (let code = 0; code < values.length; code++) if (counts[code] > 0) into[values[code]] = counts[code];
}

/** The facet counts of a query's answer by value (empty when facets were not asked for). */
export function facetsOf(
  out: { provider: Int32Array; category: Int32Array; status: Int32Array },
  store: ColumnStore,
  wanted: boolean,
): SearchResult['facets'] {
  const facets: SearchResult['facets'] = { provider: {}, category: {}, status: {} };
  if (!wanted) return facets;
  countsTo(out.provider, store.providers.values, facets.provider);
  countsTo(out.category, store.categories.values, facets.category);
  countsTo(out.status, store.statuses.values, facets.status);
  return facets;
}
