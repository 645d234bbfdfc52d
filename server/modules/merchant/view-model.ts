// Inbox rows as staff see them (the summary, the deadline being worked against and its countdown), and the page's
// tabs, search and pager links.
import type { Provider } from '../providers/schema.ts';
import type { Complaint } from '../complaints/schema.ts';
import { STAFF_VISIBLE, STATUS_LABELS } from '../complaints/states.ts';
import { toComplaintSummary } from '../complaints/view-model.ts';
import { countdownLine } from '../sla/view-model.ts';
import { TAB_LABELS, TABS, type InboxFilters } from './input.ts';
import type { MerchantService } from './service.ts';

export function toInboxItem(c: Complaint, p: Provider, now: number) {
  const countdown = countdownLine(c, now);
  return {
    ...toComplaintSummary(c, p),
    deadline: countdown
      ? {
          kind: countdown.label,
          dueAt: new Date(countdown.dueAt).toISOString(),
          text: countdown.text,
          late: countdown.late,
        }
      : null,
    resolutionPaused: c.resolutionPausedAt !== null,
  };
}

/** A link to the inbox keeping the current filters; empty values are left out. */
function inboxHref(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `/merchant?${s}` : '/merchant';
}

export function inboxPage(result: ReturnType<MerchantService['inbox']>, filters: InboxFilters, now: number) {
  const keep = {
    tab: result.tab,
    q: filters.q,
    status: filters.status,
    overdue: filters.overdue === null ? null : filters.overdue ? '1' : '0',
  };
  return {
    items: result.rows.map((r) => toInboxItem(r.complaint, r.provider, now)),
    tab: result.tab,
    tabLabel: TAB_LABELS[result.tab],
    match: result.match,
    total: result.total,
    counts: result.counts,
    tabs: TABS.map((t) => ({
      value: t,
      label: TAB_LABELS[t],
      n: result.counts[t],
      current: t === result.tab,
      href: inboxHref({ tab: t }),
    })),
    filters: { q: filters.q ?? '', status: filters.status ?? '', overdue: keep.overdue ?? '' },
    statuses: STAFF_VISIBLE.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
    nextHref: result.nextCursor ? inboxHref({ ...keep, cursor: result.nextCursor }) : null,
    prevHref: result.prevCursor ? inboxHref({ ...keep, cursor: result.prevCursor }) : null,
  };
}
