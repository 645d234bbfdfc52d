// Admin pages and JSON for deliveries (by status, dead letters, retry) and the operator call queue. Admin only:
// anyone else gets 404, as if the pages did not exist.
import type { FastifyInstance } from 'fastify';
import { body, formAction, idParam, pageActor, requireRole } from '../../lib/http.ts';
import { OUTBOX_STATUSES, type OutboxStatus } from '../outbox/schema.ts';
import { STATUS_TABS, toAttemptView, toOutboxView } from './view-model.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';

const readStatus = (q: unknown): OutboxStatus | undefined => {
  const s = (q as Record<string, unknown>).status;
  return typeof s === 'string' && (OUTBOX_STATUSES as readonly string[]).includes(s) ? (s as OutboxStatus) : undefined;
};

export default async function forwardingAdminRoutes(app: FastifyInstance) {
  const svc = app.outbox.service;

  app.get('/api/v1/admin/deliveries', async (req) => {
    requireRole(req, 'admin');
    const status = readStatus(req.query);
    return { counts: svc.counts(req.ctx()), items: svc.list(req.ctx(), { status }).map(toOutboxView) };
  });

  app.get('/api/v1/admin/deliveries/:id', async (req) => {
    requireRole(req, 'admin');
    const row = svc.get(req.ctx(), idParam(req));
    return { ...toOutboxView(row), attempts: svc.attempts(req.ctx(), row.id).map(toAttemptView), attemptCount: row.attempts };
  });

  app.post('/api/v1/admin/deliveries/:id/retry', { config: ADMIN_WRITE_LIMIT }, async (req) => {
    requireRole(req, 'admin');
    return toOutboxView(svc.retry(req.ctx(), idParam(req)));
  });

  app.get('/admin/deliveries', async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const status = readStatus(req.query) ?? 'dead';
    const items = svc.list(req.ctx(), { status }).map((r) => ({ ...toOutboxView(r), history: svc.attempts(req.ctx(), r.id).slice(-3).map(toAttemptView) }));
    const counts = svc.counts(req.ctx());
    return reply.page('admin/deliveries', { title: '投递记录', status, items, tabs: STATUS_TABS.map((t) => ({ ...t, count: counts[t.value], active: t.value === status })) });
  });

  app.post('/admin/deliveries/:id/retry', { config: ADMIN_WRITE_LIMIT }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    svc.retry(req.ctx(), idParam(req));
    return reply.redirect('/admin/deliveries?status=dead&retried=1', 303);
  });

  app.get('/api/v1/admin/calls', async (req) => {
    requireRole(req, 'admin');
    return { items: app.forwarding.calls.queue(req.ctx()) };
  });

  app.post('/api/v1/admin/calls/:id/outcome', { config: ADMIN_WRITE_LIMIT }, async (req) => {
    requireRole(req, 'admin');
    return toOutboxView(app.forwarding.calls.recordOutcome(req.ctx(), idParam(req), body(req)));
  });

  const callsView = (req: { ctx: () => import('../../lib/ctx.ts').Ctx }) => ({ title: '电话转交与待核实机构', tasks: app.forwarding.calls.queue(req.ctx()) });

  app.get('/admin/calls', async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    return reply.page('admin/calls', { ...callsView(req), recorded: (req.query as Record<string, string>).recorded === '1' });
  });

  app.post('/admin/calls/:id/outcome', { config: ADMIN_WRITE_LIMIT }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const id = idParam(req);
    const done = await formAction(reply, 'admin/calls', { ...callsView(req), failedId: id, values: body(req) },
      () => app.forwarding.calls.recordOutcome(req.ctx(), id, body(req)));
    if (!done) return reply;
    return reply.redirect('/admin/calls?recorded=1', 303);
  });
}
