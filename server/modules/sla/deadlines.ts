// Deadline arithmetic, pure: the clock value and the policy come in, times and column patches go out. No database,
// no timers. The scheduler and the lifecycle both use it, and it is unit-tested on its own.
import { AWAITING_PROVIDER, OPEN_WITH_PROVIDER, type Status } from '../complaints/states.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface SlaOverride {
  firstResponseHours?: number;
  resolutionHours?: number;
}
export type SlaOverrides = Readonly<Record<string, SlaOverride>>;

export interface SlaPolicy {
  firstResponseMs: number;
  resolutionMs: number;
  /** Share of a window elapsed when provider staff are warned. */
  warnFraction: number;
  /** Awaiting the consumer this long without an answer: closed_unconfirmed. */
  autoCloseMs: number;
}

/** The windows with the platform's default hours (SLA_FIRST_RESPONSE_HOURS, SLA_RESOLUTION_HOURS in config). */
export function basePolicy(hours: { firstResponseHours: number; resolutionHours: number }): SlaPolicy {
  return Object.freeze({
    firstResponseMs: Math.round(hours.firstResponseHours * HOUR),
    resolutionMs: Math.round(hours.resolutionHours * HOUR),
    warnFraction: 0.8,
    autoCloseMs: 7 * DAY,
  });
}

/** The platform's rule when config says nothing: the one place these two numbers are written. */
export const DEFAULT_HOURS = Object.freeze({ firstResponseHours: 24, resolutionHours: 48 });
/** The policy with DEFAULT_HOURS, for pure callers and tests with no config at hand; the app uses config's hours. */
export const DEFAULT_POLICY: SlaPolicy = basePolicy(DEFAULT_HOURS);

export function policyFor(category: string, overrides: SlaOverrides = {}, base: SlaPolicy = DEFAULT_POLICY): SlaPolicy {
  const o = Object.hasOwn(overrides, category) ? overrides[category] : undefined;
  if (!o) return base;
  return {
    ...base,
    ...(o.firstResponseHours !== undefined ? { firstResponseMs: Math.round(o.firstResponseHours * HOUR) } : {}),
    ...(o.resolutionHours !== undefined ? { resolutionMs: Math.round(o.resolutionHours * HOUR) } : {}),
  };
}

/** The deadline columns of a complaint (a subset of the row). */
export interface Clocks {
  status: Status;
  forwardedAt: number | null;
  firstResponseAt: number | null;
  firstResponseDueAt: number | null;
  resolutionDueAt: number | null;
  firstResponseWarnedAt: number | null;
  resolutionWarnedAt: number | null;
  firstResponseBreachedAt: number | null;
  resolutionBreachedAt: number | null;
  resolutionPausedAt: number | null;
  resolutionPausedMs: number;
  resolvedAt: number | null;
  closedAt: number | null;
  autoCloseAt: number | null;
  nextDeadlineAt: number | null;
}

export type DeadlineKind =
  | 'first_response_warning'
  | 'first_response_breach'
  | 'resolution_warning'
  | 'resolution_breach'
  | 'auto_close';

/** Clocks start (approval) or restart (reopen): a fresh cycle with nothing warned, breached or paused. */
export function startClocks(now: number, policy: SlaPolicy): Partial<Clocks> {
  return {
    forwardedAt: now,
    firstResponseAt: null,
    firstResponseDueAt: now + policy.firstResponseMs,
    resolutionDueAt: now + policy.resolutionMs,
    firstResponseWarnedAt: null,
    resolutionWarnedAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    resolutionPausedAt: null,
    resolutionPausedMs: 0,
    resolvedAt: null,
    closedAt: null,
    autoCloseAt: null,
  };
}

export function pauseResolution(c: Clocks, now: number): Partial<Clocks> {
  return c.resolutionPausedAt === null ? { resolutionPausedAt: now } : {};
}

/** The paused time is added to the record and the due time moves forward by exactly that much. */
export function resumeResolution(c: Clocks, now: number): Partial<Clocks> {
  if (c.resolutionPausedAt === null) return {};
  const paused = Math.max(0, now - c.resolutionPausedAt);
  return {
    resolutionPausedAt: null,
    resolutionPausedMs: c.resolutionPausedMs + paused,
    resolutionDueAt: c.resolutionDueAt === null ? null : c.resolutionDueAt + paused,
  };
}

const openWithProvider = (s: Status) => OPEN_WITH_PROVIDER.includes(s);

/** The first-response clock runs from forwarding until the provider's first answer. */
export const firstResponsePending = (c: Clocks) =>
  openWithProvider(c.status) && c.firstResponseAt === null && c.firstResponseDueAt !== null;
/** The resolution clock runs while the case is with the provider and not paused awaiting the consumer. */
export const resolutionRunning = (c: Clocks) =>
  AWAITING_PROVIDER.includes(c.status) && c.resolutionDueAt !== null && c.resolutionPausedAt === null;

/** Warning time: the given share of the window elapsed. Windows come from the stored columns, so a policy change
 *  never moves a deadline already given to a provider. */
export function firstResponseWarnAt(c: Clocks, fraction = DEFAULT_POLICY.warnFraction): number | null {
  if (c.firstResponseDueAt === null || c.forwardedAt === null) return null;
  return Math.round(c.forwardedAt + fraction * (c.firstResponseDueAt - c.forwardedAt));
}

export function resolutionWarnAt(c: Clocks, fraction = DEFAULT_POLICY.warnFraction): number | null {
  if (c.resolutionDueAt === null || c.forwardedAt === null) return null;
  const window = c.resolutionDueAt - c.resolutionPausedMs - c.forwardedAt;
  return Math.round(c.resolutionDueAt - (1 - fraction) * window);
}

/** Every deadline still to fire, soonest first. A warning whose breach already fired is never sent late. */
export function pendingDeadlines(
  c: Clocks,
  fraction = DEFAULT_POLICY.warnFraction,
): { kind: DeadlineKind; at: number }[] {
  const out: { kind: DeadlineKind; at: number }[] = [];
  if (firstResponsePending(c) && c.firstResponseBreachedAt === null) {
    if (c.firstResponseWarnedAt === null)
      out.push({ kind: 'first_response_warning', at: firstResponseWarnAt(c, fraction)! });
    out.push({ kind: 'first_response_breach', at: c.firstResponseDueAt! });
  }
  if (resolutionRunning(c) && c.resolutionBreachedAt === null) {
    if (c.resolutionWarnedAt === null) out.push({ kind: 'resolution_warning', at: resolutionWarnAt(c, fraction)! });
    out.push({ kind: 'resolution_breach', at: c.resolutionDueAt! });
  }
  if (c.status === 'awaiting_consumer' && c.autoCloseAt !== null) out.push({ kind: 'auto_close', at: c.autoCloseAt });
  return out.sort((a, b) => a.at - b.at);
}

export function nextDeadlineAt(c: Clocks, fraction?: number): number | null {
  return pendingDeadlines(c, fraction)[0]?.at ?? null;
}

/** What has fallen due by `now`. When a breach is due, its warning is dropped: a warning after the fact helps nobody. */
export function dueDeadlines(c: Clocks, now: number, fraction?: number): DeadlineKind[] {
  const due = pendingDeadlines(c, fraction)
    .filter((d) => d.at <= now)
    .map((d) => d.kind);
  return due.filter(
    (k) =>
      !(k === 'first_response_warning' && due.includes('first_response_breach')) &&
      !(k === 'resolution_warning' && due.includes('resolution_breach')),
  );
}

/** The deadline provider staff are working against now, for sorting and countdowns. */
export function currentDeadline(c: Clocks): { kind: 'first_response' | 'resolution'; dueAt: number } | null {
  if (firstResponsePending(c)) return { kind: 'first_response', dueAt: c.firstResponseDueAt! };
  if (resolutionRunning(c)) return { kind: 'resolution', dueAt: c.resolutionDueAt! };
  return null;
}

/**
 * The windows a complaint was given, read back from its stored times (due minus forwarding, the resolution's paused
 * time taken off), so every text quotes the hours that produced its due times even after the policy changed.
 */
export function windowHours(
  c: Pick<Clocks, 'forwardedAt' | 'firstResponseDueAt' | 'resolutionDueAt' | 'resolutionPausedMs'>,
): { firstResponseHours: number | null; resolutionHours: number | null } {
  const hours = (ms: number) => Math.round((ms / HOUR) * 10) / 10;
  if (c.forwardedAt === null) return { firstResponseHours: null, resolutionHours: null };
  return {
    firstResponseHours: c.firstResponseDueAt === null ? null : hours(c.firstResponseDueAt - c.forwardedAt),
    resolutionHours:
      c.resolutionDueAt === null ? null : hours(c.resolutionDueAt - c.resolutionPausedMs - c.forwardedAt),
  };
}

export function isOverdue(c: Pick<Clocks, 'firstResponseBreachedAt' | 'resolutionBreachedAt'>): boolean {
  return c.firstResponseBreachedAt !== null || c.resolutionBreachedAt !== null;
}

/** “剩余 5 小时 12 分” / “已超时 3 小时”. */
export function countdownText(dueAt: number, now: number): string {
  const ms = dueAt - now;
  if (ms > 0) {
    const minutes = Math.floor(ms / 60_000);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return h > 0 ? `剩余 ${h} 小时 ${m} 分` : `剩余 ${m} 分`;
  }
  const late = Math.floor(-ms / 60_000);
  const h = Math.floor(late / 60);
  return h > 0 ? `已超时 ${h} 小时` : `已超时 ${late} 分`;
}
