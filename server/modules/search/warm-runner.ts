// Runs a search backend's warm-up steps in time slices: as many steps as fit in `sliceMs`, then setImmediate, so the
// event loop serves every request that arrived (I/O callbacks run before the next check phase) before another slice.
// A slice is one or more steps; each step is kept to a few milliseconds by the backend (sqlite/warm-up.ts).
import type { WarmProgress } from './types.ts';

export type WarmState = 'off' | 'idle' | 'warming' | 'warm' | 'stopped' | 'failed';

export interface WarmStatus {
  /** off: disabled or nothing to warm; idle: not started; stopped: the app closed first; failed: see the log. */
  state: WarmState;
  /** Words whose doclists are read so far, of `total` chosen (0 while the vocabulary is being read). */
  terms: number;
  total: number;
  /** Since start (while warming) or start to end. */
  ms: number;
  slices: number;
  /** The longest slice so far, ms: how long a request could have waited for the warm-up. */
  longestSliceMs: number;
}

export interface WarmRunnerOptions {
  /** Time a slice may use before yielding; 0: one step per slice. */
  sliceMs: number;
  onError(err: unknown): void;
  onFinish?(status: WarmStatus): void;
}

export class WarmRunner {
  private state: WarmState;
  private progress: WarmProgress = { phase: 'vocabulary', terms: 0, total: 0 };
  private startedAt = 0;
  private endedAt = 0;
  private slices = 0;
  private longest = 0;
  private steps: Iterator<WarmProgress, void> | null = null;
  private pending: ReturnType<typeof setImmediate> | null = null;
  private finished: Promise<WarmStatus> | null = null;
  private resolve: (s: WarmStatus) => void = () => {};

  /** @param makeSteps null when the backend has nothing to warm (Meilisearch) */
  constructor(private readonly makeSteps: (() => Iterator<WarmProgress, void>) | null, private readonly options: WarmRunnerOptions) {
    this.state = makeSteps ? 'idle' : 'off';
  }

  /** Starts once (later calls return the same promise); resolves when warm, stopped or failed. */
  start(): Promise<WarmStatus> {
    if (this.finished) return this.finished;
    if (!this.makeSteps || this.state !== 'idle') return Promise.resolve(this.status());
    this.finished = new Promise((resolve) => { this.resolve = resolve; });
    this.state = 'warming';
    this.startedAt = performance.now();
    this.pending = setImmediate(this.slice);
    return this.finished;
  }

  /** Stops between two steps (on app close); no step runs afterwards. */
  stop(): void {
    if (this.state === 'idle') this.state = 'stopped';
    if (this.state !== 'warming') return;
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
    this.steps?.return?.();
    this.end('stopped');
  }

  status(): WarmStatus {
    const end = this.state === 'warming' ? performance.now() : this.endedAt;
    return { state: this.state, terms: this.progress.terms, total: this.progress.total,
      ms: this.startedAt ? Math.round(end - this.startedAt) : 0, slices: this.slices, longestSliceMs: Math.round(this.longest * 10) / 10 };
  }

  private readonly slice = (): void => {
    this.pending = null;
    if (this.state !== 'warming') return;
    this.slices++;
    const t0 = performance.now();
    let done = false;
    try {
      this.steps ??= this.makeSteps!();
      do {
        const r = this.steps.next();
        if (r.done) { done = true; break; }
        this.progress = r.value;
      } while (performance.now() - t0 < this.options.sliceMs);
    } catch (err) {
      this.end('failed');
      this.options.onError(err);
      return;
    } finally {
      this.longest = Math.max(this.longest, performance.now() - t0);
    }
    if (done) { this.end('warm'); return; }
    this.pending = setImmediate(this.slice);
  };

  private end(state: WarmState): void {
    this.state = state;
    this.endedAt = performance.now();
    if (state === 'warm') this.progress = { ...this.progress, terms: this.progress.total };
    const status = this.status();
    this.options.onFinish?.(status);
    this.resolve(status);
  }
}
