// Forwarding test data: a provider with the channels a test needs, a consumer's complaint, and its deliveries planned.
import type { FastifyInstance } from 'fastify';
import { admin, consumer, fileComplaint } from '../helpers/factories.ts';

let n = 0;

export async function providerWith(
  app: FastifyInstance,
  channels: {
    webhook?: { url: string; secret: string };
    email?: { to: string };
    hotline?: string | null;
    verified?: boolean;
  } = {},
) {
  const a = await admin(app);
  const slug = `test-pay-${process.pid}-${++n}`;
  const res = await a.post('/api/v1/admin/providers', {
    slug,
    name: `测试支付${n}`,
    hotline: channels.hotline ?? null,
    verified: channels.verified ?? true,
    channels: {
      ...(channels.webhook ? { webhook: channels.webhook } : {}),
      ...(channels.email ? { email: channels.email } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`provider creation failed: ${res.body}`);
  return { slug, name: `测试支付${n}`, admin: a };
}

/** Files a complaint and plans its deliveries in one transaction, as approval does. */
export async function forwarded(app: FastifyInstance, provider: string, overrides: Record<string, unknown> = {}) {
  const c = await consumer(app, { realName: '张三' });
  // Registration mails a verification link; it is not part of forwarding, and would take its turn at the test SMTP.
  app.sqlite.prepare("DELETE FROM outbox WHERE channel = 'account'").run();
  const filed = await fileComplaint(c, { provider, ...overrides });
  const plan = app.db.transaction((tx) =>
    app.forwarding.planDeliveries(tx, { actor: null, clock: app.clock }, filed.id),
  );
  return { consumer: c, complaint: filed, plan };
}

export const HOUR = 3600_000;
