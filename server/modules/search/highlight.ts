// Highlighted titles and snippets as already-escaped HTML. Text is escaped piece by piece and only the <mark> tags
// this module writes are left unescaped, so a case body saying <script> renders as text, never as markup.
import { escapeHtml } from '../../lib/escape-html.ts';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A matcher for the query terms, longest first so 微信支付 wins over 微信. Null when there is nothing to mark. */
export function termMatcher(terms: readonly string[]): RegExp | null {
  const usable = [...new Set(terms.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return null;
  return new RegExp(usable.map(escapeRegExp).join('|'), 'giu');
}

function markRange(text: string, start: number, end: number, matcher: RegExp | null): string {
  const slice = text.slice(start, end);
  if (!matcher) return escapeHtml(slice);
  let html = '';
  let last = 0;
  matcher.lastIndex = 0;
  for (let m = matcher.exec(slice); m; m = matcher.exec(slice)) {
    if (m[0].length === 0) {
      matcher.lastIndex += 1;
      continue;
    }
    html += `${escapeHtml(slice.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index + m[0].length;
  }
  return html + escapeHtml(slice.slice(last));
}

/** The whole text, escaped, with every occurrence of a term marked. */
export const highlightAll = (text: string, matcher: RegExp | null): string => markRange(text, 0, text.length, matcher);

/**
 * About `width` characters of `text` around the first occurrence of a term (or its start when no term occurs),
 * escaped and marked, with an ellipsis where the window cuts the text.
 */
export function snippet(text: string, matcher: RegExp | null, width = 80): string {
  const chars = Array.from(text); // code points, so a window never splits a surrogate pair
  if (chars.length <= width) return highlightAll(text, matcher);
  let first = -1;
  if (matcher) {
    matcher.lastIndex = 0;
    const m = matcher.exec(text);
    if (m) first = Array.from(text.slice(0, m.index)).length;
  }
  // Put the hit about a quarter into the window: readers want a little context before it and more after.
  let start = first < 0 ? 0 : Math.max(0, first - Math.floor(width / 4));
  if (start + width > chars.length) start = Math.max(0, chars.length - width);
  const end = Math.min(chars.length, start + width);
  const windowText = chars.slice(start, end).join('');
  return (start > 0 ? '…' : '') + highlightAll(windowText, matcher) + (end < chars.length ? '…' : '');
}
