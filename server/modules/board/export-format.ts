// The open-data formats of one public case: a CSV row (safe for spreadsheets) and a JSON line. Pure and free of the
// database, so the export worker thread and the request path format a case the same way.
import { stringify, type Options } from 'csv-stringify/sync';
import type { PublicCase } from './public-case.ts';

export const CSV_COLUMNS = [
  'id',
  'url',
  'filedAt',
  'provider',
  'providerName',
  'category',
  'categoryLabel',
  'status',
  'statusLabel',
  'amountFen',
  'overdue',
  'title',
  'description',
  'resolution',
  'resolved',
  'refunded',
  'daysToResolution',
] as const;

/**
 * A spreadsheet would run a cell starting with = + - @ (or a tab, a carriage return) as a formula: such text cells get a
 * leading apostrophe. Done in the cast rather than with csv-stringify's escape_formulas, which also escapes full-width
 * ＝＋－＠ and would change rows the published files already hold.
 */
const formulaSafe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

// RFC 4180 with CRLF line ends. quote_record_delimiter: a cell holding a lone \n or \r is quoted too (with a
// record_delimiter given, csv-stringify would otherwise quote only a full \r\n). Booleans as true/false (its default
// writes 1 and an empty cell).
const OPTIONS: Options = {
  record_delimiter: '\r\n',
  quote_record_delimiter: true,
  cast: { boolean: (v) => String(v), string: formulaSafe },
};

/** Excel reads a CSV without it as the local code page and garbles Chinese. */
export const CSV_BOM = '\uFEFF';
export const csvHeader = () => stringify([[...CSV_COLUMNS]], { record_delimiter: '\r\n' });

function csvValues(c: PublicCase, baseUrl: string): unknown[] {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: c.id,
    url: `${baseUrl}${c.url}`,
    filedAt: c.filedAt,
    provider: c.provider.slug,
    providerName: c.provider.name,
    category: c.category,
    categoryLabel: c.categoryLabel,
    status: c.status,
    statusLabel: c.statusLabel,
    amountFen: c.amountFen,
    overdue: c.overdue,
    title: c.title,
    description: c.description,
    resolution: c.resolution?.text ?? null,
    resolved: c.outcome.resolved,
    refunded: c.outcome.refunded,
    daysToResolution: c.outcome.daysToResolution,
  };
  return CSV_COLUMNS.map((k) => values[k]);
}

/** Rows for many cases at once: one stringify call per batch (each call sets its options up again). */
export const csvRows = (cases: readonly PublicCase[], baseUrl: string): string =>
  stringify(
    cases.map((c) => csvValues(c, baseUrl)),
    OPTIONS,
  );

/**
 * The stored public view is already JSON (what GET /api/v1/cases/:id sends), written without raw line breaks:
 * a line of the JSON-lines file is that text as it is, never parsed and serialised again.
 */
export const jsonLine = (doc: string) => `${doc}\n`;

export type ExportFormat = 'csv' | 'jsonl';

/**
 * Stored public views as rows of either format: the one formatter of filtered exports, in the request's thread or in
 * the export thread (a CSV of n batches is the same text as of one: each row ends with its CRLF).
 */
export const formatDocs = (docs: readonly string[], as: ExportFormat, baseUrl: string): string =>
  as === 'csv'
    ? docs.length
      ? csvRows(
          docs.map((d) => JSON.parse(d) as PublicCase),
          baseUrl,
        )
      : ''
    : docs.map(jsonLine).join('');

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const JSONL_TYPE = 'application/x-ndjson; charset=utf-8';
