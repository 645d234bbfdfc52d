// Shapes for the board's JSON and pages, all built from the public view or from search hits (themselves built from it).
import type { FastifyInstance } from 'fastify';
import { STATUS_LABELS, type Status } from '../complaints/states.ts';
import { CATEGORY_LABELS, type Category } from '../complaints/taxonomy.ts';
import type { SearchHit, SearchResult } from '../search/types.ts';
import { chinaDay } from '../../lib/china-time.ts';
import { formatFen } from '../../lib/view-helpers.ts';
import type { SimilarResult } from './reader.ts';
import type { Provider } from '../providers/schema.ts';

/** One search hit in the API's list shape (API.md), plus labels and the highlighted title for pages. */
export function toCaseListItem(h: SearchHit) {
  return {
    id: h.id,
    url: `/cases/${h.id}`,
    title: h.title,
    titleHighlighted: h.titleHighlighted,
    snippet: h.snippet,
    provider: h.provider,
    providerName: h.providerName,
    category: h.category,
    categoryLabel: CATEGORY_LABELS[h.category as Category] ?? h.category,
    status: h.status,
    statusLabel: STATUS_LABELS[h.status as Status] ?? h.status,
    amountFen: h.amountFen > 0 ? h.amountFen : null,
    amountText: h.amountFen > 0 ? formatFen(h.amountFen) : null,
    filedAt: chinaDay(h.filedAt),
    overdue: h.overdue,
  };
}

export type CaseListItem = ReturnType<typeof toCaseListItem>;

export function toCaseList(r: SearchResult) {
  return {
    total: r.total,
    ...(r.totalIsEstimate ? { totalIsEstimate: true } : {}),
    page: r.page,
    pageSize: r.pageSize,
    items: r.items.map(toCaseListItem),
    facets: r.facets,
    match: r.match,
    unmatched: r.unmatched,
  };
}

export function toSimilar(r: SimilarResult) {
  return { items: r.items.map(toCaseListItem), outcomes: r.outcomes };
}

/** Facet counts with names for the page: providers by name, categories and statuses by their Chinese labels. */
export function facetsForPage(
  app: FastifyInstance,
  facets: SearchResult['facets'],
  listed: readonly Provider[] = app.providers.list(),
) {
  // Listed providers and 其他机构: a facet never names anything else (the index holds no other slug).
  const names = new Map([...listed, app.providers.other()].map((p) => [p.slug, p.name]));
  const sorted = (rec: Record<string, number>, label: (k: string) => string) =>
    Object.entries(rec)
      .sort((a, b) => b[1] - a[1])
      .map(([value, count]) => ({ value, count, label: label(value) }));
  return {
    provider: sorted(facets.provider, (k) => names.get(k) ?? k),
    category: sorted(facets.category, (k) => CATEGORY_LABELS[k as Category] ?? k),
    status: sorted(facets.status, (k) => STATUS_LABELS[k as Status] ?? k),
  };
}

export const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
