// Title words for the inbox search: the query cut by the project's segmenter (precise mode; titles are indexed in
// search mode by inbox_words(), so a query word matches wherever it is a word or a part), every word required, and
// the provider's own token required too, so FTS5 intersects with this provider's cases before anything is read.
import { queryTerms } from '../search/segment.ts';

export interface TitleQuery { match: string; terms: string[] }

const quote = (w: string) => `"${w.replaceAll('"', '""')}"`;

/** The FTS5 expression for a query, or null when it has no searchable word (only punctuation or stop words). */
export function titleMatch(q: string, providerId: number): TitleQuery | null {
  const terms = queryTerms(q);
  if (!terms.length) return null;
  return { terms, match: [`provider : p${providerId}`, ...terms.map((t) => `words : ${quote(t)}`)].join(' AND ') };
}
