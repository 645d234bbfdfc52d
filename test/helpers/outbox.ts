// A scriptable outbox topic for worker tests: each send's result is decided by the test, every call is recorded.
import { systemCtx } from '../../server/lib/ctx.ts';
import type { FastifyInstance } from 'fastify';
import type { SendResult } from '../../server/modules/outbox/registry.ts';

export function scriptedTopic(
  app: FastifyInstance,
  topic: string,
  decide: (payload: unknown, attempt: number) => SendResult | Promise<SendResult> = () => ({ ok: true, detail: 'ok' }),
) {
  const calls: { payload: unknown; attempt: number; key: string }[] = [];
  const done: number[] = [];
  const dead: number[] = [];
  const h = { decide };
  app.outbox.registerHandler(topic, {
    async send(item, attempt) {
      calls.push({ payload: item.payload, attempt: attempt.attempt, key: item.idempotencyKey });
      return h.decide(item.payload, attempt.attempt);
    },
    onDone(_tx, item) {
      done.push(item.id);
    },
    onDead(_tx, item) {
      dead.push(item.id);
    },
  });
  return Object.assign(h, { calls, done, dead });
}

export const ctxOf = (app: FastifyInstance) => systemCtx(app.clock);

export function enqueueNow(
  app: FastifyInstance,
  topic: string,
  key: string,
  extra: { dueAt?: number; maxAttempts?: number; payload?: unknown } = {},
) {
  return app.db.transaction((tx) =>
    app.outbox.enqueue(tx, ctxOf(app), {
      topic,
      key,
      payload: extra.payload ?? { key },
      dueAt: extra.dueAt,
      maxAttempts: extra.maxAttempts,
    }),
  );
}

export const row = (app: FastifyInstance, id: number) =>
  app.sqlite.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as Record<string, unknown>;
export const attempts = (app: FastifyInstance, id: number) =>
  app.sqlite
    .prepare('SELECT attempt, ok, detail, finished_at FROM outbox_attempts WHERE outbox_id = ? ORDER BY id')
    .all(id) as { attempt: number; ok: number | null; detail: string; finished_at: number | null }[];
