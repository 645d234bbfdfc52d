// A reference number typed into the board's search box (TS20261122-000123, complaints/reference.ts) finds that case
// when it is public. The public view does not carry the reference and the index does not hold it: it is looked up
// through its unique index, joined to public_cases, so a case that is not public is never found this way.
import type { Sqlite } from '../../db/database.ts';
import { escapeHtml } from '../../lib/escape-html.ts';
import { emptyFacets, type SearchHit, type SearchQuery, type SearchResult } from '../search/types.ts';
import type { PublicCase } from './public-case.ts';

const REFERENCE = /^TS\d{8}-\d{6}$/;

/** The reference number a query consists of, upper-cased and width-folded; null for any other query. */
export function referenceIn(q: string | undefined): string | null {
  const s = (q ?? '').normalize('NFKC').trim().toUpperCase();
  return REFERENCE.test(s) ? s : null;
}

export function referenceLookup(sqlite: Sqlite) {
  const stmt =
    sqlite.prepare(`SELECT p.doc, p.filed_at AS filedAt FROM complaints c JOIN public_cases p ON p.complaint_id = c.id
    WHERE c.reference = ?`);

  /** The answer for a reference-number query: that case alone (when the filters admit it), else none. */
  return (reference: string, q: SearchQuery): SearchResult | null => {
    const row = stmt.get(reference) as { doc: string; filedAt: number } | undefined;
    if (!row) return null;
    const doc = JSON.parse(row.doc) as PublicCase;
    const amount = doc.amountFen ?? 0;
    const admitted =
      (!q.provider || q.provider === doc.provider.slug) &&
      (!q.category || q.category === doc.category) &&
      (!q.status || q.status === doc.status) &&
      !(row.filedAt < (q.from ?? -Infinity)) &&
      !(row.filedAt >= (q.to ?? Infinity)) &&
      !(amount < (q.amountMin ?? -Infinity)) &&
      !(amount > (q.amountMax ?? Infinity));
    if (!admitted) return null;
    const hit: SearchHit = {
      id: doc.id,
      title: doc.title,
      titleHighlighted: escapeHtml(doc.title),
      snippet: escapeHtml(doc.description.slice(0, 80)),
      provider: doc.provider.slug,
      providerName: doc.provider.name,
      category: doc.category,
      status: doc.status,
      amountFen: amount,
      filedAt: row.filedAt,
      overdue: doc.overdue,
    };
    const facets = emptyFacets();
    if (q.facets) {
      facets.provider[hit.provider] = 1;
      facets.category[hit.category] = 1;
      facets.status[hit.status] = 1;
    }
    return {
      total: 1,
      page: q.page,
      pageSize: q.pageSize,
      items: q.page > 1 ? [] : [hit],
      facets,
      match: 'all',
      unmatched: [],
    };
  };
}
