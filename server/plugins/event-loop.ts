// External plugin: how late the event loop runs, recently. A histogram that is never reset would report the worst
// pause since start forever; this one is read and reset every window, and the last full window is what is reported.
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

const ms = (ns: number) => (Number.isFinite(ns) ? Math.round(ns / 1e4) / 100 : 0);

function read(h: IntervalHistogram, windowMs: number, endedAt: string | null): LoopDelay {
  if (h.count === 0) return { p50: 0, p99: 0, max: 0, mean: 0, windowMs, endedAt };
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), windowMs, endedAt };
}

export default fp<{ windowMs?: number; resolutionMs?: number }>(
  async (app, opts) => {
    const windowMs = opts.windowMs ?? 10_000;
    const histogram = monitorEventLoopDelay({ resolution: opts.resolutionMs ?? 10 });
    histogram.enable();
    let last: LoopDelay | null = null;
    const timer = setInterval(() => {
      last = read(histogram, windowMs, new Date().toISOString());
      histogram.reset();
    }, windowMs);
    timer.unref();
    app.decorate('eventLoop', { delay: () => last ?? read(histogram, windowMs, null) } satisfies EventLoopMonitor);
    app.addHook('onClose', (_app, done) => {
      clearInterval(timer);
      histogram.disable();
      done();
    });
  },
  { name: 'event-loop' },
);
