// App plugin: forwarding. Decorates planDeliveries (called by approval, inside its transaction) and the operator
// queue, and registers the outbox handler that sends deliveries.
import fp from 'fastify-plugin';
import type { Db } from '../../db/database.ts';
import { type Ctx, systemCtx } from '../../lib/ctx.ts';
import { callService, type CallService } from './calls.ts';
import { deliveryRows } from './deliveries.ts';
import { deliveryHandler } from './handler.ts';
import { forwardingService, type PlanResult } from './service.ts';
import type { OutboxRow } from '../outbox/schema.ts';
import { DELIVERY_TOPIC } from './deliveries.ts';

export interface Forwarding {
  planDeliveries(tx: Db, ctx: Ctx, complaintId: number, opts?: { round?: string }): PlanResult;
  /** Closes operator tasks waiting for the complaint's former provider and forwards through its current one. */
  reforward(tx: Db, ctx: Ctx, complaintId: number, reason: string): PlanResult | null;
  deliveriesOf(complaintId: number): OutboxRow[];
  calls: CallService;
}

declare module 'fastify' {
  interface FastifyInstance {
    forwarding: Forwarding;
  }
}

export default fp(
  async (app) => {
    const service = forwardingService({
      db: app.db,
      outbox: app.outbox,
      providers: app.providers,
      notifications: app.notifications,
      timeline: app.timeline,
      complaints: app.complaints.platform,
      contactOf: (userId) => app.accounts.get(userId),
      publicUrl: app.config.publicUrl,
    });
    app.outbox.registerHandler(
      DELIVERY_TOPIC,
      deliveryHandler({
        providers: app.providers,
        mailer: app.mailer,
        clock: app.clock,
        timeline: app.timeline,
        webhookTimeoutMs: app.config.outbox.webhookTimeoutMs,
        onResearched: (tx, item) => {
          service.planDeliveries(tx, systemCtx(app.clock), item.complaintId!);
        },
      }),
    );
    app.decorate('forwarding', {
      planDeliveries: service.planDeliveries,
      reforward: service.reforward,
      deliveriesOf: (complaintId: number) => deliveryRows(app.db, complaintId),
      calls: callService({ outbox: app.outbox, providers: app.providers, complaints: app.complaints.platform }),
    } satisfies Forwarding);
  },
  {
    name: 'forwarding',
    dependencies: ['db', 'clock', 'accounts', 'outbox', 'notifications', 'providers', 'complaints'],
  },
);
