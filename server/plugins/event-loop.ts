// External plugin: how late the event loop runs, recently. A histogram that is never reset would report the worst
// pause since start forever; this one is read and reset every window, and the last full window is what is reported.
// Node's histogram records the time between its timer's runs, the sampling step included: an idle loop reads 10 ms at
// a 10 ms step. What is reported is that time minus the step, how late the timer ran (under-pressure counts it so).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import fp from 'fastify-plugin';

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  windowMs: number;
  /** When the window closed (ISO 8601); null while the first window is still open and its figures are partial. */
  endedAt: string | null;
}

export interface EventLoopMonitor {
  /** Milliseconds, over the last complete window (the current one until a first window has closed). */
  delay(): LoopDelay;
}

declare module 'fastify' {
  interface FastifyInstance {
    eventLoop: EventLoopMonitor;
  }
}

/**
 * Milliseconds late, from an interval monitorEventLoopDelay recorded (ns) and its sampling step (ms); a timer never
 * runs early. Any reader of such a histogram (the benchmarks' own loops too) goes through this.
 */
export const lateMs = (ns: number, stepMs: number) =>
  Number.isFinite(ns) ? Math.max(0, Math.round((ns / 1e6 - stepMs) * 100) / 100) : 0;

function read(h: IntervalHistogram, stepMs: number, windowMs: number, endedAt: string | null): LoopDelay {
  if (h.count === 0) return { p50: 0, p99: 0, max: 0, mean: 0, windowMs, endedAt };
  const ms = (ns: number) => lateMs(ns, stepMs);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), windowMs, endedAt };
}

export default fp<{ windowMs?: number; resolutionMs?: number }>(
  async (app, opts) => {
    const windowMs = opts.windowMs ?? 10_000;
    const stepMs = opts.resolutionMs ?? 10;
    const histogram = monitorEventLoopDelay({ resolution: stepMs });
    histogram.enable();
    let last: LoopDelay | null = null;
    const timer = setInterval(() => {
      last = read(histogram, stepMs, windowMs, new Date().toISOString());
      histogram.reset();
    }, windowMs);
    timer.unref();
    app.decorate('eventLoop', {
      delay: () => last ?? read(histogram, stepMs, windowMs, null),
    } satisfies EventLoopMonitor);
    app.addHook('onClose', (_app, done) => {
      clearInterval(timer);
      histogram.disable();
      done();
    });
  },
  { name: 'event-loop' },
);
