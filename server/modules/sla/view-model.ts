// Deadlines as people see them: ISO times for JSON, and a countdown line for pages.
import type { Complaint } from '../complaints/schema.ts';
import { countdownText, currentDeadline, isOverdue } from './deadlines.ts';

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
    current: current ? { kind: current.kind, dueAt: iso(current.dueAt) } : null,
  };
}

const KIND_LABELS = { first_response: '首次回复', resolution: '提出解决方案' } as const;

/** “首次回复：剩余 5 小时 12 分” for the deadline the provider is working against now, or null. */
export function countdownLine(c: Complaint, now: number): { label: string; text: string; late: boolean; dueAt: number } | null {
  const d = currentDeadline(c);
  if (!d) return null;
  return { label: KIND_LABELS[d.kind], text: countdownText(d.dueAt, now), late: d.dueAt <= now, dueAt: d.dueAt };
}
