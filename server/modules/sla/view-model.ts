// Deadlines as people see them: ISO times for JSON, a countdown line for pages, and the sentence every mail, payload
// and page uses to state a complaint's own due times (China time) with the hours that produced them.
import { formatDateTime } from '../../lib/view-helpers.ts';
import type { Complaint } from '../complaints/schema.ts';
import { countdownText, currentDeadline, isOverdue, windowHours, type Clocks } from './deadlines.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The `deadlines` object of the complaint JSON view. */
export function toDeadlinesView(c: Complaint) {
  const current = currentDeadline(c);
  return {
    firstResponseDueAt: iso(c.firstResponseDueAt),
    resolutionDueAt: iso(c.resolutionDueAt),
    firstResponseBreachedAt: iso(c.firstResponseBreachedAt),
    resolutionBreachedAt: iso(c.resolutionBreachedAt),
    firstResponseAt: iso(c.firstResponseAt),
    forwardedAt: iso(c.forwardedAt),
    /** Awaiting the consumer: the resolution clock stands still. */
    resolutionPaused: c.resolutionPausedAt !== null,
    resolutionPausedMs: c.resolutionPausedMs,
    autoCloseAt: iso(c.autoCloseAt),
    overdue: isOverdue(c),
    ...windowHours(c),
    current: current ? { kind: current.kind, dueAt: iso(current.dueAt) } : null,
  };
}

const KIND_LABELS = { first_response: '首次回复', resolution: '提出解决方案' } as const;

/** “首次回复：剩余 5 小时 12 分” for the deadline the provider is working against now, or null. */
export function countdownLine(
  c: Complaint,
  now: number,
): { label: string; text: string; late: boolean; dueAt: number } | null {
  const d = currentDeadline(c);
  if (!d) return null;
  return { label: KIND_LABELS[d.kind], text: countdownText(d.dueAt, now), late: d.dueAt <= now, dueAt: d.dueAt };
}

/** A complaint's stored due times and the windows they stand for; null before it is forwarded. */
export interface DueTimes {
  firstResponseDueAt: number;
  resolutionDueAt: number;
  firstResponseHours: number;
  resolutionHours: number;
}

export function dueTimesOf(
  c: Pick<Clocks, 'forwardedAt' | 'firstResponseDueAt' | 'resolutionDueAt' | 'resolutionPausedMs'>,
): DueTimes | null {
  const h = windowHours(c);
  if (
    c.firstResponseDueAt === null ||
    c.resolutionDueAt === null ||
    h.firstResponseHours === null ||
    h.resolutionHours === null
  )
    return null;
  return {
    firstResponseDueAt: c.firstResponseDueAt,
    resolutionDueAt: c.resolutionDueAt,
    firstResponseHours: h.firstResponseHours,
    resolutionHours: h.resolutionHours,
  };
}

/** “北京时间 2026-12-03 02:00 前首次回复（转交后 12 小时内），2026-12-04 14:00 前提出解决方案（转交后 36 小时内）” */
export function dueSentence(d: DueTimes): string {
  return (
    `北京时间 ${formatDateTime(d.firstResponseDueAt)} 前首次回复（转交后 ${d.firstResponseHours} 小时内），` +
    `${formatDateTime(d.resolutionDueAt)} 前提出解决方案（转交后 ${d.resolutionHours} 小时内）`
  );
}
