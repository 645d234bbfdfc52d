// Admin pages and JSON for deliveries (by status, dead letters, retry) and the operator call queue. Admin only:
// anyone else gets 404, as if the pages did not exist.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { formAction, pageActor, requireRole } from '../../lib/http.ts';
import { doc, IdParams, NO_BODY, responses } from '../../lib/schema.ts';
import type { OutboxStatus } from '../outbox/schema.ts';
import {
  CallOutcome,
  CallOutcomeForm,
  CallQueue,
  DeliveryDetail,
  DeliveryList,
  DeliveryQuery,
  OutboxView,
  RecordedQuery,
} from './schemas.ts';
import { STATUS_TABS, toAttemptView, toOutboxView } from './view-model.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';

/** The schema allows only the statuses (or '' for "the default tab"). */
const statusOf = (s: string | undefined) => (s ? (s as OutboxStatus) : undefined);

export default async function forwardingAdminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const svc = app.outbox.service;
  const admin = (summary: string, csrf = false) => doc({ tag: '管理', summary, auth: '管理员', csrf });

  app.get(
    '/api/v1/admin/deliveries',
    {
      schema: {
        ...admin('转交记录与死信列表'),
        querystring: DeliveryQuery,
        response: responses({ 200: DeliveryList }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return {
        counts: svc.counts(req.ctx()),
        items: svc.list(req.ctx(), { status: statusOf(req.query.status) }).map(toOutboxView),
      };
    },
  );

  app.get(
    '/api/v1/admin/deliveries/:id',
    {
      schema: {
        ...admin('一条转交及其每次尝试'),
        params: IdParams,
        response: responses({ 200: DeliveryDetail }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      const row = svc.get(req.ctx(), req.params.id);
      return {
        ...toOutboxView(row),
        attempts: svc.attempts(req.ctx(), row.id).map(toAttemptView),
        attemptCount: row.attempts,
      };
    },
  );

  app.post(
    '/api/v1/admin/deliveries/:id/retry',
    {
      config: { ...ADMIN_WRITE_LIMIT, ...NO_BODY },
      schema: {
        ...admin('重试死信中的转交', true),
        params: IdParams,
        response: responses({ 200: OutboxView }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return toOutboxView(svc.retry(req.ctx(), req.params.id));
    },
  );

  app.get('/admin/deliveries', { schema: { querystring: DeliveryQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const status = statusOf(req.query.status) ?? 'dead';
    const items = svc
      .list(req.ctx(), { status })
      .map((r) => ({ ...toOutboxView(r), history: svc.attempts(req.ctx(), r.id).slice(-3).map(toAttemptView) }));
    const counts = svc.counts(req.ctx());
    return reply.page('admin/deliveries', {
      title: '投递记录',
      status,
      items,
      tabs: STATUS_TABS.map((t) => ({ ...t, count: counts[t.value], active: t.value === status })),
    });
  });

  app.post(
    '/admin/deliveries/:id/retry',
    { config: { ...ADMIN_WRITE_LIMIT, ...NO_BODY }, schema: { params: IdParams } },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      svc.retry(req.ctx(), req.params.id);
      return reply.redirect('/admin/deliveries?status=dead&retried=1', 303);
    },
  );

  app.get(
    '/api/v1/admin/calls',
    { schema: { ...admin('客服电话转交任务队列'), response: responses({ 200: CallQueue }, 401, 404) } },
    async (req) => {
      requireRole(req, 'admin');
      return { items: app.forwarding.calls.queue(req.ctx()) };
    },
  );

  app.post(
    '/api/v1/admin/calls/:id/outcome',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: {
        ...admin('记录电话转交结果', true),
        params: IdParams,
        body: CallOutcome,
        response: responses({ 200: OutboxView }, 400, 401, 403, 404, 429),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return toOutboxView(app.forwarding.calls.recordOutcome(req.ctx(), req.params.id, req.body));
    },
  );

  const callsView = (req: { ctx: () => import('../../lib/ctx.ts').Ctx }) => ({
    title: '电话转交与待核实机构',
    tasks: app.forwarding.calls.queue(req.ctx()),
  });

  app.get('/admin/calls', { schema: { querystring: RecordedQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    return reply.page('admin/calls', { ...callsView(req), recorded: req.query.recorded === '1' });
  });

  app.post(
    '/admin/calls/:id/outcome',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: { params: IdParams, body: CallOutcomeForm },
      attachValidation: true,
    },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      // A bad id has no form to be shown beside; what the fields lack, the form shows.
      if (req.validationError?.validationContext === 'params') throw req.validationError;
      const { id } = req.params;
      const raw = req.body ?? {};
      const done = await formAction(reply, 'admin/calls', { ...callsView(req), failedId: id, values: raw }, () =>
        app.forwarding.calls.recordOutcome(req.ctx(), id, raw),
      );
      if (!done) return reply;
      return reply.redirect('/admin/calls?recorded=1', 303);
    },
  );
}
