// Reading board search parameters (API query string, the /cases GET form, CSV and feeds): each problem is named beside
// its field, in Chinese; nothing unexpected reaches the search index.
import { Invalid } from '../../lib/errors.ts';
import { LIMITS } from '../complaints/input.ts';
import { NEVER_PUBLIC, STATUSES, type Status } from '../complaints/states.ts';
import { CATEGORIES } from '../complaints/taxonomy.ts';
import { MAX_RESULT_WINDOW, type SearchQuery } from '../search/types.ts';
import { dayStartOf } from '../../lib/china-time.ts';

export const PUBLIC_STATUSES: readonly Status[] = STATUSES.filter((s) => !NEVER_PUBLIC.includes(s));
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
const DAY = 24 * 3600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filters as given (for echoing them back into the form and links). */
export interface BoardFilters {
  q: string; provider: string; category: string; status: string; from: string; to: string;
  amountMin: number | null; amountMax: number | null; sort: 'relevance' | 'newest' | ''; page: number; pageSize: number;
}

function single(raw: Record<string, unknown>, name: string, errors: Record<string, string>): string {
  const v = raw[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') { errors[name] ??= '该参数只能出现一次'; return ''; }
  return v.trim();
}

function validDay(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

function readFen(raw: string, name: string, errors: Record<string, string>): number | null {
  if (raw === '') return null;
  if (!/^\d{1,13}$/.test(raw) || Number(raw) > LIMITS.maxAmountFen) { errors[name] ??= '金额应为不小于 0 的整数（单位：分）'; return null; }
  return Number(raw);
}

function readYuan(raw: string, name: string, errors: Record<string, string>): number | null {
  if (raw === '') return null;
  const s = raw.normalize('NFKC').replace(/[,，\s元]/g, '');
  if (!/^\d{1,11}(\.\d{1,2})?$/.test(s)) { errors[name] ??= '金额请填写数字（元），最多两位小数'; return null; }
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

function readInt(raw: string, name: string, label: string, min: number, max: number, fallback: number, errors: Record<string, string>): number {
  if (raw === '') return fallback;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < min || Number(raw) > max) { errors[name] ??= `${label}应为 ${min} 到 ${max} 之间的整数`; return fallback; }
  return Number(raw);
}

/** Throws Invalid (400, with the field) on the first bad parameter; unknown parameters are ignored. */
export function readBoardQuery(raw: Record<string, unknown>, opts: { facets?: boolean; maxPageSize?: number } = {}): { query: SearchQuery; filters: BoardFilters } {
  const errors: Record<string, string> = {};
  const q = single(raw, 'q', errors).replace(/\s+/g, ' ');
  if ([...q].length > 100) errors.q = '搜索词不能超过 100 个字';
  if (q.includes('\uFFFD')) errors.q = '搜索词包含无法识别的字符';
  const provider = single(raw, 'provider', errors);
  if (provider && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(provider)) errors.provider ??= '机构标识格式不正确';
  const category = single(raw, 'category', errors);
  if (category && !(CATEGORIES as readonly string[]).includes(category)) errors.category ??= '问题类型不是可选的值';
  const status = single(raw, 'status', errors);
  if (status && !(PUBLIC_STATUSES as readonly string[]).includes(status)) errors.status ??= '状态不是可选的值';
  const from = single(raw, 'from', errors);
  const to = single(raw, 'to', errors);
  if (from && !validDay(from)) errors.from ??= '开始日期格式应为 年-月-日，例如 2026-01-31';
  if (to && !validDay(to)) errors.to ??= '结束日期格式应为 年-月-日，例如 2026-01-31';
  if (from && to && validDay(from) && validDay(to) && from > to) errors.to ??= '结束日期不能早于开始日期';
  let amountMin = readFen(single(raw, 'amountMin', errors), 'amountMin', errors);
  let amountMax = readFen(single(raw, 'amountMax', errors), 'amountMax', errors);
  // The page form asks in yuan, as people think about money.
  amountMin ??= readYuan(single(raw, 'minYuan', errors), 'minYuan', errors);
  amountMax ??= readYuan(single(raw, 'maxYuan', errors), 'maxYuan', errors);
  if (amountMin !== null && amountMax !== null && amountMin > amountMax) errors[raw.amountMax !== undefined ? 'amountMax' : 'maxYuan'] ??= '最高金额不能低于最低金额';
  const sortRaw = single(raw, 'sort', errors);
  if (sortRaw && sortRaw !== 'relevance' && sortRaw !== 'newest') errors.sort ??= '排序方式应为 relevance（相关度）或 newest（最新）';
  const maxPageSize = opts.maxPageSize ?? MAX_PAGE_SIZE;
  const pageSize = readInt(single(raw, 'pageSize', errors), 'pageSize', '每页条数', 1, maxPageSize, DEFAULT_PAGE_SIZE, errors);
  const lastPage = Math.floor(MAX_RESULT_WINDOW / pageSize);
  const page = readInt(single(raw, 'page', errors), 'page', '页码', 1, lastPage, 1, errors);
  if (Object.keys(errors).length) throw new Invalid(errors);

  const sort = sortRaw === 'newest' || sortRaw === 'relevance' ? sortRaw : q ? 'relevance' : 'newest';
  const query: SearchQuery = {
    sort, page, pageSize, facets: opts.facets ?? true,
    ...(q ? { q } : {}), ...(provider ? { provider } : {}), ...(category ? { category } : {}), ...(status ? { status } : {}),
    ...(from ? { from: dayStartOf(from) } : {}), ...(to ? { to: dayStartOf(to) + DAY } : {}),
    ...(amountMin !== null ? { amountMin } : {}), ...(amountMax !== null ? { amountMax } : {}),
  };
  return { query, filters: { q, provider, category, status, from, to, amountMin, amountMax, sort: sortRaw as BoardFilters['sort'], page, pageSize } };
}

/** The query string for the same filters on another page (links keep every filter). */
export function filtersToQueryString(f: BoardFilters, changes: Partial<Record<keyof BoardFilters, string | number | null>> = {}): string {
  const merged: Record<string, unknown> = { ...f, ...changes };
  const params = new URLSearchParams();
  for (const key of ['q', 'provider', 'category', 'status', 'from', 'to', 'amountMin', 'amountMax', 'sort', 'page', 'pageSize'] as const) {
    const v = merged[key];
    if (v === null || v === undefined || v === '') continue;
    if (key === 'page' && v === 1) continue;
    if (key === 'pageSize' && v === DEFAULT_PAGE_SIZE) continue;
    params.set(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
