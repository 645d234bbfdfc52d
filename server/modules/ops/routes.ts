// Health and, only with TEST_CLOCK=1, the test clock.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { body } from '../../lib/http.ts';

export default async function opsRoutes(app: FastifyInstance) {
  app.get('/healthz', async (_req, reply) => {
    try {
      app.sqlite.prepare('SELECT 1').get();
      return { ok: true };
    } catch {
      return reply.code(503).send({ ok: false });
    }
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
