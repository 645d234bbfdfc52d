// Liveness, readiness and, only with TEST_CLOCK=1, the test clock.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { body } from '../../lib/http.ts';
import { EXEMPT_FROM_PRESSURE } from '../../plugins/pressure.ts';

export default async function opsRoutes(app: FastifyInstance) {
  // Both answer under pressure: a busy process is alive, and /readyz says itself that it is busy.
  app.get('/healthz', { config: EXEMPT_FROM_PRESSURE }, async (_req, reply) => {
    try {
      app.sqlite.prepare('SELECT 1').get();
      return { ok: true };
    } catch {
      return reply.code(503).send({ ok: false });
    }
  });

  app.get('/readyz', { config: EXEMPT_FROM_PRESSURE }, async (_req, reply) => {
    const report = await app.readiness.run();
    const body = { ...report, eventLoopDelayMs: app.eventLoop.delay() };
    return reply.code(report.ready ? 200 : 503).send(body);
  });

  const testClock = app.testClock;
  if (testClock) {
    app.post('/api/v1/test/clock', async (req) => {
      const advanceMs = body(req).advanceMs;
      if (typeof advanceMs !== 'number' || !Number.isSafeInteger(advanceMs) || advanceMs < 0) {
        throw new AppError(400, 'INVALID', 'advanceMs 必须是非负整数（毫秒）', 'advanceMs');
      }
      const now = testClock.advance(advanceMs);
      app.log.info({ now: new Date(now).toISOString() }, 'test clock advanced');
      return { now: new Date(now).toISOString(), nowMs: now };
    });
  }
}
