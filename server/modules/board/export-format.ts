// The open-data formats of one public case: a CSV row (safe for spreadsheets) and a JSON line. Pure and free of the
// database, so the export worker thread and the request path format a case the same way.
import type { PublicCase } from './public-case.ts';

export const CSV_COLUMNS = [
  'id', 'url', 'filedAt', 'provider', 'providerName', 'category', 'categoryLabel', 'status', 'statusLabel', 'amountFen',
  'overdue', 'title', 'description', 'resolution', 'resolved', 'refunded', 'daysToResolution',
] as const;

/** A spreadsheet would run a cell starting with = + - @ as a formula: such text cells get a leading apostrophe. */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Excel reads a CSV without it as the local code page and garbles Chinese. */
export const CSV_BOM = '\uFEFF';
export const csvHeader = () => `${CSV_COLUMNS.join(',')}\r\n`;

export function csvRow(c: PublicCase, baseUrl: string): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: c.id, url: `${baseUrl}${c.url}`, filedAt: c.filedAt, provider: c.provider.slug, providerName: c.provider.name,
    category: c.category, categoryLabel: c.categoryLabel, status: c.status, statusLabel: c.statusLabel, amountFen: c.amountFen,
    overdue: c.overdue, title: c.title, description: c.description, resolution: c.resolution?.text ?? null,
    resolved: c.outcome.resolved, refunded: c.outcome.refunded, daysToResolution: c.outcome.daysToResolution,
  };
  return `${CSV_COLUMNS.map((k) => csvCell(values[k])).join(',')}\r\n`;
}

/**
 * The stored public view is already JSON (what GET /api/v1/cases/:id sends), written without raw line breaks:
 * a line of the JSON-lines file is that text as it is, never parsed and serialised again.
 */
export const jsonLine = (doc: string) => `${doc}\n`;

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const JSONL_TYPE = 'application/x-ndjson; charset=utf-8';
