// Pure translations between this module's types and Meilisearch's: documents, settings, filter strings and
// highlighted output. Kept apart from the HTTP adapter so they are tested without a server.
import { PAYMENT_TERMS, STOP_WORDS } from './dictionary.ts';
import { escapeHtml } from '../../lib/escape-html.ts';
import { SEEDED_PROVIDER_NAMES } from './provider-aliases.ts';
import { isProductWord, providerAliasesOnly, providerWords } from './provider-words.ts';
import { MAX_RESULT_WINDOW, type CaseDoc, type SearchHit, type SearchQuery } from './types.ts';

/** Private-use characters as highlight tags: escaping the text cannot touch them, and they are stripped from
 *  documents on the way in, so only Meilisearch's own marks can produce them. */
export const PRE_TAG = '\uE000';
export const POST_TAG = '\uE001';
const TAG_CHARS = /[\uE000\uE001]/g;

export type MeiliCase = Omit<CaseDoc, 'title' | 'body'> & { title: string; body: string };

// Product words (花呗) are left out of providerAliases: in search they find the cases that say them, like any word.
export const toMeiliDoc = (d: CaseDoc): MeiliCase => ({
  ...d,
  providerAliases: providerAliasesOnly(d.providerAliases),
  title: d.title.replace(TAG_CHARS, ''),
  body: d.body.replace(TAG_CHARS, ''),
  amountFen: Math.round(d.amountFen),
  filedAt: Math.round(d.filedAt),
});

/** Meilisearch marks with PRE_TAG/POST_TAG → escaped HTML with <mark>…</mark>. */
export function formattedToHtml(formatted: string | undefined, fallback: string): string {
  const text = typeof formatted === 'string' ? formatted : fallback;
  return escapeHtml(text).replaceAll(PRE_TAG, '<mark>').replaceAll(POST_TAG, '</mark>');
}

/** A filter string value in double quotes, with backslashes and quotes escaped. */
export const quoteFilterValue = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The filter expression for a query, or undefined when nothing is filtered. */
export function buildFilter(
  q: Pick<SearchQuery, 'provider' | 'category' | 'status' | 'from' | 'to' | 'amountMin' | 'amountMax'>,
  extra: string[] = [],
): string | undefined {
  const parts: string[] = [];
  for (const field of ['provider', 'category', 'status'] as const) {
    const v = q[field];
    if (typeof v === 'string' && v !== '') parts.push(`${field} = ${quoteFilterValue(v)}`);
  }
  if (finite(q.from)) parts.push(`filedAt >= ${Math.ceil(q.from)}`);
  if (finite(q.to)) parts.push(`filedAt < ${Math.ceil(q.to)}`);
  if (finite(q.amountMin)) parts.push(`amountFen >= ${Math.ceil(q.amountMin)}`);
  if (finite(q.amountMax)) parts.push(`amountFen <= ${Math.floor(q.amountMax)}`);
  parts.push(...extra);
  return parts.length ? parts.join(' AND ') : undefined;
}

/** One-way synonyms: an alias also finds cases whose text names the provider (工行 → 工商银行数字钱包). Product words
 *  get none: 花呗 finds the cases that say 花呗, not those that say 支付宝. */
export function aliasSynonyms(providers = SEEDED_PROVIDER_NAMES): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { name, aliases } of Object.values(providers)) {
    for (const alias of aliases) if (alias !== name && !isProductWord(alias)) out[alias] = [name];
  }
  return out;
}

/**
 * Query words that name a provider, beside other words, rank that provider's cases first instead of being required
 * (工行 冻结: every case about 冻结, ICBC's first), as the SQLite backend does. Null when the query has no provider
 * word, or nothing else (a query of provider names alone searches them as words: text or provider).
 */
export function providerBoost(
  words: readonly string[],
  providers = SEEDED_PROVIDER_NAMES,
): { rest: string[]; slugs: string[] } | null {
  const slugsOf = new Map<string, string[]>();
  for (const [slug, { name, aliases }] of Object.entries(providers)) {
    for (const w of providerWords(name, aliases)) slugsOf.set(w, [...(slugsOf.get(w) ?? []), slug]);
  }
  const rest = words.filter((w) => !slugsOf.has(w));
  if (rest.length === 0 || rest.length === words.length) return null;
  return { rest, slugs: [...new Set(words.flatMap((w) => slugsOf.get(w) ?? []))] };
}

/** `provider IN [...]` or its negation, for the two halves of a boosted query. */
export const providerIn = (slugs: readonly string[], negate: boolean): string =>
  `provider ${negate ? 'NOT IN' : 'IN'} [${slugs.map(quoteFilterValue).join(', ')}]`;

/**
 * Words Meilisearch must keep whole. Only short ones: Meilisearch indexes a dictionary word as one token and, unlike
 * jieba's search mode, not its parts, so 账户冻结 or 微信支付 here would stop 冻结 or 微信 from finding them. Two
 * characters have no searchable parts; the five three-character names are searched whole.
 */
export const MEILI_DICTIONARY = [
  ...PAYMENT_TERMS.filter((w) => w.length === 2),
  '云闪付',
  '财付通',
  '零钱通',
  '余额宝',
  '支付宝',
];

export const INDEX_SETTINGS = {
  // Order matters to the attribute ranking rule: a title hit outranks a hit on the provider's names, then the body.
  searchableAttributes: ['title', 'providerName', 'providerAliases', 'body'],
  filterableAttributes: ['id', 'provider', 'category', 'status', 'filedAt', 'amountFen', 'overdue'],
  sortableAttributes: ['filedAt'],
  // The default rules, then the newer case first among equals (as the SQLite backend does).
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'filedAt:desc'],
  stopWords: [...STOP_WORDS],
  dictionary: MEILI_DICTIONARY,
  synonyms: aliasSynonyms(),
  // Short complaint texts are sometimes detected as Japanese; these fields are Chinese.
  localizedAttributes: [{ attributePatterns: ['title', 'body', 'providerName', 'providerAliases'], locales: ['cmn'] }],
  faceting: { maxValuesPerFacet: 500 },
  pagination: { maxTotalHits: MAX_RESULT_WINDOW },
};

export const FACETS = ['provider', 'category', 'status'];

/** A Meilisearch hit (with _formatted) → SearchHit. */
export function toHit(h: MeiliCase & { _formatted?: Partial<Record<keyof MeiliCase, unknown>> }): SearchHit {
  const f = h._formatted ?? {};
  const body = typeof f.body === 'string' ? f.body : h.body.slice(0, 80);
  return {
    id: h.id,
    title: h.title,
    titleHighlighted: formattedToHtml(f.title as string | undefined, h.title),
    snippet: formattedToHtml(body, ''),
    provider: h.provider,
    providerName: h.providerName,
    category: h.category,
    status: h.status,
    amountFen: h.amountFen,
    filedAt: h.filedAt,
    overdue: h.overdue,
  };
}
