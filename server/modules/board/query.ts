// Reading board search parameters (API query string, the /cases GET form, CSV and feeds). The routes' schemas
// (schemas.ts) refuse wrong types, unknown choices and out-of-range numbers; this adds the rules between fields, each
// problem named beside its field, in Chinese. Nothing unexpected reaches the search index.
import { Invalid } from '../../lib/errors.ts';
import { MAX_RESULT_WINDOW, type SearchQuery } from '../search/types.ts';
import { dayStartOf } from '../../lib/china-time.ts';
import type { BoardInput } from './schemas.ts';
import { DEFAULT_PAGE_SIZE, SORTS } from './search-params.ts';

const DAY = 24 * 3600_000;

/** The filters as given (for echoing them back into the form and links). */
export interface BoardFilters {
  q: string;
  provider: string;
  category: string;
  status: string;
  from: string;
  to: string;
  amountMin: number | null;
  amountMax: number | null;
  sort: 'relevance' | 'newest' | '';
  page: number;
  pageSize: number;
}

/** A calendar day that exists (the schema checks the YYYY-MM-DD shape; 2026-02-30 passes it). */
function validDay(s: string): boolean {
  const ms = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

/** The page's amounts, as people type them: "1,200.50 元", full-width digits. */
function readYuan(raw: string | undefined, name: string, errors: Record<string, string>): number | null {
  const s = (raw ?? '').normalize('NFKC').replace(/[,，\s元]/g, '');
  if (s === '') return null;
  if (!/^\d{1,11}(\.\d{1,2})?$/.test(s)) {
    errors[name] ??= '金额请填写数字（元），最多两位小数';
    return null;
  }
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/**
 * The search for filters the route's schema has already checked (types, choices, ranges): what is left is what a
 * schema cannot say. Throws Invalid (400, beside the field) for a day that does not exist, to before from, a minimum
 * above the maximum, yuan that are not an amount, or a page past the search window.
 */
export function readBoardQuery(
  input: BoardInput,
  opts: { facets?: boolean } = {},
): { query: SearchQuery; filters: BoardFilters } {
  const errors: Record<string, string> = {};
  const q = (input.q ?? '').trim().replace(/\s+/g, ' ');
  if (q.includes('\uFFFD')) errors.q = '搜索词包含无法识别的字符';
  const provider = input.provider ?? '';
  const category = input.category ?? '';
  const status = input.status ?? '';
  const from = input.from ?? '';
  const to = input.to ?? '';
  if (from && !validDay(from)) errors.from = '开始日期格式应为 年-月-日，例如 2026-01-31';
  if (to && !validDay(to)) errors.to = '结束日期格式应为 年-月-日，例如 2026-01-31';
  if (from && to && !errors.from && !errors.to && from > to) errors.to = '结束日期不能早于开始日期';
  // The page form asks in yuan, as people think about money; links and the API carry fen.
  const amountMin = input.amountMin ?? readYuan(input.minYuan, 'minYuan', errors);
  const amountMax = input.amountMax ?? readYuan(input.maxYuan, 'maxYuan', errors);
  if (amountMin !== null && amountMax !== null && amountMin > amountMax)
    errors[input.amountMax !== undefined ? 'amountMax' : 'maxYuan'] ??= '最高金额不能低于最低金额';
  const sortRaw = (SORTS as readonly string[]).includes(input.sort ?? '') ? (input.sort as BoardFilters['sort']) : '';
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const lastPage = Math.floor(MAX_RESULT_WINDOW / pageSize);
  const page = input.page ?? 1;
  if (page > lastPage) errors.page = `页码应为 1 到 ${lastPage} 之间的整数`;
  if (Object.keys(errors).length) throw new Invalid(errors);

  const sort = sortRaw || (q ? 'relevance' : 'newest');
  const query: SearchQuery = {
    sort,
    page,
    pageSize,
    facets: opts.facets ?? true,
    ...(q ? { q } : {}),
    ...(provider ? { provider } : {}),
    ...(category ? { category } : {}),
    ...(status ? { status } : {}),
    ...(from ? { from: dayStartOf(from) } : {}),
    ...(to ? { to: dayStartOf(to) + DAY } : {}),
    ...(amountMin !== null ? { amountMin } : {}),
    ...(amountMax !== null ? { amountMax } : {}),
  };
  return {
    query,
    filters: { q, provider, category, status, from, to, amountMin, amountMax, sort: sortRaw, page, pageSize },
  };
}

/** The query string for the same filters on another page (links keep every filter). */
export function filtersToQueryString(
  f: BoardFilters,
  changes: Partial<Record<keyof BoardFilters, string | number | null>> = {},
): string {
  const merged: Record<string, unknown> = { ...f, ...changes };
  const params = new URLSearchParams();
  for (const key of [
    'q',
    'provider',
    'category',
    'status',
    'from',
    'to',
    'amountMin',
    'amountMax',
    'sort',
    'page',
    'pageSize',
  ] as const) {
    const v = merged[key];
    if (v === null || v === undefined || v === '') continue;
    if (key === 'page' && v === 1) continue;
    if (key === 'pageSize' && v === DEFAULT_PAGE_SIZE) continue;
    params.set(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
