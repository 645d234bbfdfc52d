// Inbox query string: tab, search (q: a reference or title words), cursor, and the older status / overdue filters.
// Their types, lists and ranges are the route's schema (schemas.ts InboxQuery); here: the default tab, a search that
// has something to look for, a cursor that decodes and belongs to the tab, and the hint for page-numbered clients.
import { Invalid } from '../../lib/errors.ts';
import { AWAITING_PROVIDER, FINISHED, type Status } from '../complaints/states.ts';
import { queryTerms } from '../search/segment.ts';
import { decodeCursor, type Cursor } from './cursor.ts';

export const TABS = ['todo', 'overdue', 'consumer', 'closed', 'all'] as const;
export type Tab = (typeof TABS)[number];
export const TAB_LABELS: Record<Tab, string> = {
  todo: '待处理',
  overdue: '已超时',
  consumer: '等待消费者',
  closed: '已结束',
  all: '全部',
};

export const Q_MAX = 100;

export interface InboxFilters {
  tab: Tab;
  status: Status | null;
  overdue: boolean | null;
  q: string | null;
  cursor: Cursor | null;
  limit: number;
}

export const PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export const DEFAULT_FILTERS: InboxFilters = {
  tab: 'todo',
  status: null,
  overdue: null,
  q: null,
  cursor: null,
  limit: PAGE_SIZE,
};

const given = (v: unknown) => (v === undefined || v === '' ? null : String(v));

/** Without a tab: a search looks through everything, a status or overdue filter opens the tab that holds it. */
function defaultTab(status: Status | null, overdue: boolean | null, q: string | null): Tab {
  if (q) return 'all';
  if (overdue) return 'overdue';
  if (status) return AWAITING_PROVIDER.includes(status) ? 'todo' : FINISHED.includes(status) ? 'closed' : 'consumer';
  return 'todo';
}

export function readInboxFilters(query: Record<string, unknown>): InboxFilters {
  const errors: Record<string, string> = {};
  const status = given(query.status) as Status | null;
  const o = given(query.overdue);
  const overdue = o === null ? null : o === '1' || o === 'true';
  const tab = given(query.tab) as Tab | null;
  const q = given(query.q)?.trim() || null;
  // Only punctuation or stop words: neither a reference number nor a title word to look for.
  if (q !== null && !queryTerms(q).length) errors.q = '请输入投诉编号或标题中的词语';
  const rawCursor = given(query.cursor);
  const cursor = rawCursor === null ? null : decodeCursor(rawCursor);
  if (rawCursor !== null && !cursor) errors.cursor = '翻页参数无效，请回到第一页';
  // Pages are reached by cursor now (nextCursor / prevCursor); an old client asking for page 2 must not get page 1.
  const page = given(query.page);
  if (page !== null && page !== '1') errors.page = '请用 cursor 翻页（见 nextCursor / prevCursor）';
  if (Object.keys(errors).length) throw new Invalid(errors);
  const t = tab ?? defaultTab(status, overdue, q);
  if (cursor && cursor.tab !== t) throw new Invalid({ cursor: '翻页参数与当前标签不符，请回到第一页' });
  return { tab: t, status, overdue, q, cursor, limit: typeof query.limit === 'number' ? query.limit : PAGE_SIZE };
}
