// Inbox filters from the query string: status (one the staff can see), overdue (1/0), page.
import { Invalid } from '../../lib/errors.ts';
import type { Status } from '../complaints/states.ts';

export const STAFF_STATUSES: readonly Status[] = ['forwarded', 'in_progress', 'awaiting_consumer', 'resolved', 'closed_unconfirmed', 'closed_unresolved', 'withdrawn'];

export interface InboxFilters { status: Status | null; overdue: boolean | null; page: number }

export function readInboxFilters(q: Record<string, unknown>): InboxFilters {
  const errors: Record<string, string> = {};
  const status = q.status === undefined || q.status === '' ? null : String(q.status);
  if (status !== null && !(STAFF_STATUSES as readonly string[]).includes(status)) errors.status = '状态不是可选的值';
  const o = q.overdue === undefined || q.overdue === '' ? null : String(q.overdue);
  let overdue: boolean | null = null;
  if (o !== null) {
    if (['1', 'true'].includes(o)) overdue = true;
    else if (['0', 'false'].includes(o)) overdue = false;
    else errors.overdue = '是否超时应为 1 或 0';
  }
  const p = q.page === undefined || q.page === '' ? '1' : String(q.page);
  if (!/^\d{1,6}$/.test(p) || Number(p) < 1) errors.page = '页码应为正整数';
  if (Object.keys(errors).length) throw new Invalid(errors);
  return { status: status as Status | null, overdue, page: Number(p) };
}
