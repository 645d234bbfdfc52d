// External plugin: overload is refused, not suffered. When the event loop lags, or the heap or RSS passes its limit,
// requests are answered at once with 503 and Retry-After (JSON error or a short Chinese page) instead of queueing
// until every client times out. Liveness and readiness routes opt out (EXEMPT_FROM_PRESSURE): they must still answer.
import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { wantsHtml } from './errors.ts';

export const RETRY_AFTER_SECONDS = 10;
const OVERLOADED = { code: 'OVERLOADED', message: '服务器繁忙，请稍后重试' };

type PressureHandler = (req: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => unknown;

/** Route config for routes that must answer under pressure: returning nothing lets the request through. */
export const EXEMPT_FROM_PRESSURE = { pressureHandler: (() => undefined) as PressureHandler };

declare module 'fastify' {
  interface FastifyContextConfig {
    pressureHandler?: PressureHandler;
  }
}

export interface PressureOptions extends Readonly<Config['pressure']> {
  /** How often memory and loop delay are sampled (under-pressure's default: 1 s). */
  sampleIntervalMs?: number;
}

export default fp<PressureOptions>(
  async (app, opts) => {
    // under-pressure sends whatever the handler returns (and skips the route); undefined would let the request through.
    const refuse: PressureHandler = (req, reply, type, value) => {
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
