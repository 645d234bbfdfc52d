// Title words for the inbox search: the query cut by the project's segmenter (precise mode; titles are indexed in
// search mode by inbox_words(), so a query word matches wherever it is a word or a part), every word required, and
// the provider's token (and the tab's) required too, so FTS5 intersects with this provider's cases of that tab
// before any row is read.
import { queryTerms } from '../search/segment.ts';
import type { Tab } from './input.ts';

export interface TitleQuery {
  match: string;
  terms: string[];
}

const quote = (w: string) => `"${w.replaceAll('"', '""')}"`;

/** The FTS5 expression for a query, or null when it has no searchable word (only punctuation or stop words). */
export function titleMatch(q: string, providerId: number, tab: Tab): TitleQuery | null {
  const terms = queryTerms(q);
  if (!terms.length) return null;
  const scope = [`scope : p${providerId}`, ...(tab === 'all' ? [] : [`scope : ${tab}`])];
  return { terms, match: [...scope, ...terms.map((t) => `words : ${quote(t)}`)].join(' AND ') };
}
