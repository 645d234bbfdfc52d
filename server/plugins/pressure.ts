// External plugin: overload is refused, not suffered. When the event loop lags, or the heap or RSS passes its limit,
// requests are answered at once with 503 and Retry-After (JSON error or a short Chinese page) instead of queueing
// until every client times out. Liveness and readiness routes opt out (EXEMPT_FROM_PRESSURE): they must still answer.
// The loop is blocked while the app is built (migrations, the search index, views): under-pressure's first samples
// measure that, not traffic, so loop delay counts only from the second sample after ready (STARTUP_SAMPLES).
import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config.ts';
import { wantsHtml } from './errors.ts';

export const RETRY_AFTER_SECONDS = 10;
const OVERLOADED = { code: 'OVERLOADED', message: '服务器繁忙，请稍后重试' };

type PressureHandler = (req: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => unknown;

/** Route config for routes that must answer under pressure: returning nothing lets the request through. */
export const EXEMPT_FROM_PRESSURE = { pressureHandler: (() => undefined) as PressureHandler };

type PressureKind = 'eventLoopDelay' | 'heapUsed' | 'rssBytes';

/** Samples after ready whose loop delay may still include the build (the one in progress and the next). */
const STARTUP_SAMPLES = 2;
const UNDER_PRESSURE_DEFAULT_INTERVAL_MS = 1000;

declare module 'fastify' {
  interface FastifyContextConfig {
    pressureHandler?: PressureHandler;
  }
  interface FastifyInstance {
    /** Which limit refuses requests now, or null. */
    pressureNow(): PressureKind | null;
  }
}

export interface PressureOptions extends Readonly<Config['pressure']> {
  /** How often memory and loop delay are sampled (under-pressure's default: 1 s). */
  sampleIntervalMs?: number;
}

export default fp<PressureOptions>(
  async (app, opts) => {
    const interval = opts.sampleIntervalMs ?? UNDER_PRESSURE_DEFAULT_INTERVAL_MS;
    let startupUntil = Number.POSITIVE_INFINITY;
    app.addHook('onReady', async () => {
      startupUntil = performance.now() + STARTUP_SAMPLES * interval;
    });
    // under-pressure reports the first limit passed, loop delay before memory: while the loop delay is the build's,
    // memory is still checked.
    const pressureNow = (): PressureKind | null => {
      if (!app.isUnderPressure()) return null;
      const m = app.memoryUsage();
      const limit = (max: number | undefined, value: number) => max !== undefined && max > 0 && value > max;
      if (limit(opts.maxEventLoopDelayMs, m.eventLoopDelay) && performance.now() >= startupUntil)
        return 'eventLoopDelay';
      if (limit(opts.maxHeapUsedBytes, m.heapUsed)) return 'heapUsed';
      if (limit(opts.maxRssBytes, m.rssBytes)) return 'rssBytes';
      return null;
    };
    app.decorate('pressureNow', pressureNow);

    // under-pressure sends whatever the handler returns (and skips the route); undefined would let the request through.
    const refuse: PressureHandler = (req, reply) => {
      const type = pressureNow();
      if (type === null) return undefined;
      const value = app.memoryUsage()[type];
      req.log.debug({ type, value }, 'refused under pressure');
      reply.code(503).header('Retry-After', String(RETRY_AFTER_SECONDS));
      if (wantsHtml(req)) {
        reply.type('text/html; charset=utf-8');
        return `<!doctype html><meta charset="utf-8"><title>服务器繁忙</title><p>${OVERLOADED.message}（约 ${RETRY_AFTER_SECONDS} 秒后）。</p>`;
      }
      return { error: OVERLOADED };
    };
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs,
      maxHeapUsedBytes: opts.maxHeapUsedBytes,
      maxRssBytes: opts.maxRssBytes,
      retryAfter: RETRY_AFTER_SECONDS,
      sampleInterval: opts.sampleIntervalMs,
      pressureHandler: refuse as never,
    });
  },
  { name: 'pressure' },
);
