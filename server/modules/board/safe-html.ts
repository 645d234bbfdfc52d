// Markup the board builds itself and hands to templates as SafeString, so templates never need a triple-stash.
import Handlebars from 'handlebars';

/**
 * Highlighted search text from the search module: escaped text with <mark> tags. Checked, not trusted: if anything
 * but <mark>/</mark> looks like markup, the whole string is escaped again and shows as text.
 */
export function markedHtml(html: string): Handlebars.SafeString {
  const rest = html.replace(/<\/?mark>/g, '');
  return new Handlebars.SafeString(/[<>]/.test(rest) ? Handlebars.escapeExpression(html) : html);
}

/** SVG drawn by trend-chart.ts, which escapes every text it places. */
export const chartMarkup = (svg: string) => new Handlebars.SafeString(svg);
