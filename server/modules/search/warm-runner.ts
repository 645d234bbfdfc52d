// Runs a search backend's warm-up in time slices: its steps run back to back until `sliceMs` is used, then it waits
// for setImmediate, so every request that arrived meanwhile (I/O callbacks run before the check phase) is served
// before the next slice. Work the backend hands to another thread is awaited without holding the loop at all.
import type { WarmControl, WarmProgress } from './types.ts';

export type WarmState = 'off' | 'idle' | 'warming' | 'warm' | 'stopped' | 'failed';

export interface WarmStatus {
  /** off: disabled or nothing to warm; idle: not started; stopped: the app closed first; failed: see the log. */
  state: WarmState;
  /** Words whose doclists are in memory so far, of `total` chosen (0 while the vocabulary is being read). */
  terms: number;
  total: number;
  /** Since start (while warming) or from start to end. */
  ms: number;
  slices: number;
  /** The longest slice, ms: the longest a request could have waited for the warm-up. */
  longestSliceMs: number;
}

export interface WarmRunnerOptions {
  /** Time a slice may use before yielding; 0: one step per slice. */
  sliceMs: number;
  onError(err: unknown): void;
  onFinish?(status: WarmStatus): void;
}

class Stopped extends Error {}

export class WarmRunner {
  private state: WarmState;
  private progress: WarmProgress = { phase: 'vocabulary', terms: 0, total: 0 };
  private startedAt = 0;
  private endedAt = 0;
  private slices = 0;
  private longest = 0;
  private sliceStart = 0;
  private wake: (() => void) | null = null;
  private pending: ReturnType<typeof setImmediate> | null = null;
  private finished: Promise<WarmStatus> | null = null;

  /** @param warm null when the backend has nothing to warm (Meilisearch) */
  constructor(
    private readonly warm: ((control: WarmControl) => Promise<void>) | null,
    private readonly options: WarmRunnerOptions,
  ) {
    this.state = warm ? 'idle' : 'off';
  }

  /** Starts once (later calls return the same promise); resolves when warm, stopped or failed. */
  start(): Promise<WarmStatus> {
    if (this.finished) return this.finished;
    if (!this.warm || this.state !== 'idle') return Promise.resolve(this.status());
    this.state = 'warming';
    this.startedAt = performance.now();
    const control: WarmControl = {
      pause: () => this.pause(),
      wait: (work) => this.wait(work),
      progress: (p) => {
        this.progress = p;
      },
    };
    this.finished = this.nextTurn()
      .then(() => this.warm!(control))
      .then(
        () => this.end('warm'),
        (err) => {
          if (err instanceof Stopped || this.state === 'stopped') return this.end('stopped');
          this.options.onError(err);
          return this.end('failed');
        },
      );
    return this.finished;
  }

  /** No step runs after this (on app close); start() resolves once the step under way has returned. */
  stop(): void {
    if (this.state === 'idle') this.state = 'stopped';
    if (this.state !== 'warming') return;
    this.state = 'stopped';
    this.endedAt = performance.now();
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
    this.wake?.();
  }

  status(): WarmStatus {
    const end = this.state === 'warming' ? performance.now() : this.endedAt;
    return {
      state: this.state,
      terms: this.progress.terms,
      total: this.progress.total,
      ms: this.startedAt ? Math.round(end - this.startedAt) : 0,
      slices: this.slices,
      longestSliceMs: Math.round(this.longest * 10) / 10,
    };
  }

  private async pause(): Promise<void> {
    if (this.state !== 'warming') throw new Stopped();
    if (performance.now() - this.sliceStart < this.options.sliceMs) return;
    await this.nextTurn();
  }

  private async wait<T>(work: Promise<T>): Promise<T> {
    this.endSlice();
    const out = await work;
    if (this.state !== 'warming') throw new Stopped();
    this.beginSlice();
    return out;
  }

  private async nextTurn(): Promise<void> {
    this.endSlice();
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.pending = setImmediate(resolve);
    });
    this.wake = null;
    this.pending = null;
    if (this.state !== 'warming') throw new Stopped();
    this.beginSlice();
  }

  private beginSlice(): void {
    this.sliceStart = performance.now();
    this.slices++;
  }
  private endSlice(): void {
    if (this.sliceStart) this.longest = Math.max(this.longest, performance.now() - this.sliceStart);
    this.sliceStart = 0;
  }

  private end(state: 'warm' | 'stopped' | 'failed'): WarmStatus {
    this.endSlice();
    if (this.state === 'warming') {
      this.state = state;
      this.endedAt = performance.now();
    }
    if (state === 'warm') this.progress = { ...this.progress, terms: this.progress.total };
    const status = this.status();
    this.options.onFinish?.(status);
    return status;
  }
}
