// Liveness, readiness and, only with TEST_CLOCK=1, the test clock.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { doc, responses, Type } from '../../lib/schema.ts';
import { EXEMPT_FROM_PRESSURE } from '../../plugins/pressure.ts';

const ClockAdvance = Type.Object({
  advanceMs: Type.Integer({
    title: '推进的毫秒数',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: '非负整数（毫秒）',
  }),
});
const ClockNow = Type.Object({ now: Type.String({ format: 'date-time' }), nowMs: Type.Integer() });

export default async function opsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
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
    const m = process.memoryUsage();
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    const body = {
      ...report,
      eventLoopDelayMs: app.eventLoop.delay(),
      // What the process holds, for operators sizing the machine (arrayBuffers: the search index's doclists).
      memoryMB: {
        rss: mb(m.rss),
        heapUsed: mb(m.heapUsed),
        external: mb(m.external),
        arrayBuffers: mb(m.arrayBuffers),
      },
    };
    return reply.code(report.ready ? 200 : 503).send(body);
  });

  const testClock = app.testClock;
  if (testClock) {
    app.post(
      '/api/v1/test/clock',
      {
        schema: {
          ...doc({ tag: '运维', summary: '推进测试时钟（仅 TEST_CLOCK=1 时存在）', csrf: true }),
          body: ClockAdvance,
          response: responses({ 200: ClockNow }, 400, 403),
        },
      },
      async (req) => {
        const now = testClock.advance(req.body.advanceMs);
        app.log.info({ now: new Date(now).toISOString() }, 'test clock advanced');
        return { now: new Date(now).toISOString(), nowMs: now };
      },
    );
  }
}
