// A job handed to a background thread that may be starved (a SCHED_IDLE thread on a saturated machine gets almost no
// CPU): if the thread finishes nothing for `stallMs` while this job waits, the fallback computes it too, and whichever
// answers first wins. Progress is the thread's, not this job's: a queue that moves (a burst of sign-ups, one hash
// after another) is waited for, so a burst does not turn into duplicate work at a higher priority.

export interface StallFallbackOptions<T> {
  /** How long the thread may finish nothing while this job waits. */
  stallMs: number;
  /** When the thread last finished a job (Date.now()). */
  lastProgress(): number;
  /** The same job elsewhere. */
  fallback(): Promise<T>;
  /** Told when the fallback starts (counts, logs). */
  onFallback?(): void;
}

export function withStallFallback<T>(answer: Promise<T>, opts: StallFallbackOptions<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const startedAt = Date.now();
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish =
      <V>(settle: (v: V) => void) =>
      (v: V) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        settle(v);
      };
    answer.then(finish(resolve), finish(reject));
    const check = () => {
      const quiet = Date.now() - Math.max(opts.lastProgress(), startedAt);
      if (quiet < opts.stallMs) {
        timer = setTimeout(check, opts.stallMs - quiet);
        return;
      }
      opts.onFallback?.();
      opts.fallback().then(finish(resolve), finish(reject));
    };
    timer = setTimeout(check, opts.stallMs);
  });
}
