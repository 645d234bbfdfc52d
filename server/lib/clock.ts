// One injectable clock: every "now" in the service comes from here, so deadlines can be driven in tests.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Starts at real time (or a given instant) and moves only forward, by advance(). Like Stripe's test clocks. */
export class TestClock implements Clock {
  private offset = 0;
  constructor(
    private readonly base: () => number = () => Date.now(),
    start?: number,
  ) {
    if (start !== undefined) this.offset = start - base();
  }
  private readonly listeners = new Set<(now: number) => void>();
  now(): number {
    return this.base() + this.offset;
  }
  advance(ms: number): number {
    this.offset += ms;
    const now = this.now();
    for (const fn of this.listeners) fn(now);
    return now;
  }
  /** Schedulers listen so that moving the clock wakes them as real time would. */
  onAdvance(fn: (now: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
