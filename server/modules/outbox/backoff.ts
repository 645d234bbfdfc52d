// Retry spacing: exponential backoff with full jitter (the whole window is random, so retries from many rows that
// failed together spread out instead of hammering a recovering receiver at the same instants). Pure: no clock, no db.
export interface BackoffPolicy {
  /** Window of the first retry (ms). */
  baseMs: number;
  /** Growth of the window per failed attempt. */
  factor: number;
  /** Largest window (ms). */
  capMs: number;
  /** Never retry sooner than this (ms), so a frozen test clock and a tight loop cannot resend at once. */
  floorMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, factor: 2, capMs: 3_600_000, floorMs: 1_000 };

/** The window after `attempt` failed tries (1-based): min(cap, base * factor^(attempt-1)). */
export function backoffWindow(policy: BackoffPolicy, attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(policy.capMs, policy.baseMs * policy.factor ** (n - 1));
}

/** Delay before the next try: uniformly random in [floor, window]; `random` returns [0, 1). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const window = backoffWindow(policy, attempt);
  return Math.max(policy.floorMs, Math.floor(random() * window));
}
