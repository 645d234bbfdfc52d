// Deadlines as people see them: ISO times for JSON, a countdown line for pages, and the sentence every mail, payload
// and page uses to state a complaint's own due times (China time) with the hours that produced them.
import { formatDateTime } from '../../lib/view-helpers.ts';
import type { Complaint } from '../complaints/schema.ts';
import {
  countdownText,
  currentDeadline,
  firstResponsePending,
  isOverdue,
  resolutionRunning,
  windowHours,
  type Clocks,
} from './deadlines.ts';

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

/** One deadline as the complaint page states it: its due time and where it stands now. */
export interface DeadlineState {
  kind: 'first_response' | 'resolution';
  label: string;
  dueAt: number;
  /** met: answered in time; late: missed (answered late or not yet); running: counting down; paused; done: case over. */
  state: 'met' | 'late' | 'running' | 'paused' | 'done';
  text: string;
}

/**
 * Both deadlines with their state, so a page never shows one breach and hides the other: a complaint whose first
 * response and resolution are both overdue says so twice.
 */
export function deadlineStates(c: Complaint, now: number): DeadlineState[] {
  const out: DeadlineState[] = [];
  if (c.firstResponseDueAt !== null) {
    const due = c.firstResponseDueAt;
    const base = { kind: 'first_response' as const, label: KIND_LABELS.first_response, dueAt: due };
    if (c.firstResponseAt !== null) {
      const inTime = c.firstResponseAt <= due;
      out.push({
        ...base,
        state: inTime ? 'met' : 'late',
        text: `${inTime ? '已按时回复' : '超时后才回复'}（${formatDateTime(c.firstResponseAt)}）`,
      });
    } else if (firstResponsePending(c)) {
      out.push({ ...base, state: due <= now ? 'late' : 'running', text: countdownText(due, now) });
    } else {
      out.push({
        ...base,
        state: c.firstResponseBreachedAt !== null ? 'late' : 'done',
        text: c.firstResponseBreachedAt !== null ? '机构未在时限内回复' : '投诉已结束',
      });
    }
  }
  if (c.resolutionDueAt !== null) {
    const due = c.resolutionDueAt;
    const base = { kind: 'resolution' as const, label: KIND_LABELS.resolution, dueAt: due };
    const breached = c.resolutionBreachedAt !== null;
    if (resolutionRunning(c)) {
      out.push({ ...base, state: due <= now || breached ? 'late' : 'running', text: countdownText(due, now) });
    } else if (c.resolutionPausedAt !== null) {
      out.push({
        ...base,
        state: breached ? 'late' : 'paused',
        text: `${breached ? '已超时；' : ''}等待消费者回应，暂停计时`,
      });
    } else {
      out.push({
        ...base,
        state: breached ? 'late' : 'done',
        text: breached ? '机构未在时限内提出解决方案' : '投诉已结束',
      });
    }
  }
  return out;
}
