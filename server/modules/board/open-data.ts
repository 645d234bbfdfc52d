// Open data formats built from the public view: CSV rows (streamed, safe for spreadsheets) and an RSS 2.0 feed.
import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { SearchQuery } from '../search/types.ts';
import type { PublicCase } from './public-case.ts';
import { publicCases } from './schema.ts';

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
 * Every public case matching the filters (no text query), newest first, read in keyset-paged batches so the export
 * streams in constant memory however large the board is.
 */
export function* browsePublicCases(db: Db, q: SearchQuery, providerId: number | null | undefined, batch = 500): Generator<PublicCase> {
  if (providerId === null) return; // an unknown provider has no cases
  const base: SQL[] = [];
  if (providerId !== undefined) base.push(eq(publicCases.providerId, providerId));
  if (q.category) base.push(eq(publicCases.category, q.category));
  if (q.status) base.push(eq(publicCases.status, q.status));
  if (q.from !== undefined) base.push(gte(publicCases.filedAt, q.from));
  if (q.to !== undefined) base.push(lt(publicCases.filedAt, q.to));
  if (q.amountMin !== undefined) base.push(gte(publicCases.amountFen, q.amountMin));
  if (q.amountMax !== undefined) base.push(lte(publicCases.amountFen, q.amountMax));
  let after: { filedAt: number; id: number } | null = null;
  for (;;) {
    const conds = [...base];
    if (after) conds.push(or(lt(publicCases.filedAt, after.filedAt), and(eq(publicCases.filedAt, after.filedAt), lt(publicCases.complaintId, after.id)))!);
    const rows = db.select({ id: publicCases.complaintId, filedAt: publicCases.filedAt, doc: publicCases.doc }).from(publicCases)
      .where(conds.length ? and(...conds) : undefined).orderBy(desc(publicCases.filedAt), desc(publicCases.complaintId)).limit(batch).all();
    for (const r of rows) yield r.doc;
    if (rows.length < batch) return;
    const last = rows[rows.length - 1];
    after = { filedAt: last.filedAt, id: last.id };
  }
}

// Characters XML 1.0 does not allow at all (C0 controls other than tab, newline, return; lone surrogates; FFFE/FFFF).
const XML_INVALID = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
export const xmlEscape = (s: string) => s.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const rfc822 = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`)).toUTCString();

export interface FeedMeta { title: string; description: string; link: string; selfUrl: string }

export function rssFeed(meta: FeedMeta, cases: PublicCase[], baseUrl: string): string {
  const items = cases.map((c) => {
    const text = [c.description, c.resolution ? `机构方案：${c.resolution.text}` : ''].filter(Boolean).join('\n\n');
    return `<item>
<title>${xmlEscape(`${c.title}（${c.provider.name} · ${c.statusLabel}${c.overdue ? ' · 超时' : ''}）`)}</title>
<link>${xmlEscape(baseUrl + c.url)}</link>
<guid isPermaLink="true">${xmlEscape(baseUrl + c.url)}</guid>
<pubDate>${rfc822(c.filedAt)}</pubDate>
<category>${xmlEscape(c.categoryLabel)}</category>
<description>${xmlEscape(text)}</description>
</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xmlEscape(meta.title)}</title>
<link>${xmlEscape(meta.link)}</link>
<description>${xmlEscape(meta.description)}</description>
<language>zh-CN</language>
<atom:link href="${xmlEscape(meta.selfUrl)}" rel="self" type="application/rss+xml"/>
${cases.length ? `<lastBuildDate>${rfc822(cases.map((c) => c.updatedAt).sort().at(-1)!)}</lastBuildDate>\n` : ''}${items.join('\n')}
</channel>
</rss>
`;
}
