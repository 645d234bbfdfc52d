// Merchant portal: the inbox (page and JSON) and the complaint page with reply, request_info, propose_resolution and
// internal note forms. Provider staff only; thin: read input, call a verb, render.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pageActor, requireRole } from '../../lib/http.ts';
import { Invalid } from '../../lib/errors.ts';
import { doc, IdParams, responses } from '../../lib/schema.ts';
import { actFromForm, complaintPageData } from '../complaints/page-view.ts';
import { pageId } from '../complaints/schemas.ts';
import { DEFAULT_FILTERS, readInboxFilters, type InboxFilters } from './input.ts';
import { InboxBody, InboxQuery, MerchantShowQuery } from './schemas.ts';
import { inboxPage, toInboxItem } from './view-model.ts';

export default async function merchantRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/merchant/complaints',
    {
      schema: {
        ...doc({
          tag: '商家',
          summary:
            '本机构的投诉：分标签（待处理默认，按最近时限排序），编号或标题词查找，游标翻页；答复含 counts、nextCursor、prevCursor',
          auth: '商家',
        }),
        querystring: InboxQuery,
        response: responses({ 200: InboxBody }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'provider_staff');
      const filters = readInboxFilters(req.query);
      const { rows, ...rest } = app.merchant.inbox(req.ctx(), filters);
      const now = app.clock.now();
      return { ...rest, items: rows.map((r) => toInboxItem(r.complaint, r.provider, now)) };
    },
  );

  // A bad filter on the page shows the message above the default inbox rather than an error page.
  app.get('/merchant', { schema: { querystring: InboxQuery }, attachValidation: true }, async (req, reply) => {
    if (!pageActor(req, reply, 'provider_staff')) return reply;
    let filters: InboxFilters = DEFAULT_FILTERS;
    let filterError: string | null = null;
    try {
      if (req.validationError) throw req.validationError;
      filters = readInboxFilters(req.query);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      filterError = err.message;
    }
    const result = app.merchant.inbox(req.ctx(), filters);
    return reply.page('merchant/inbox', {
      title: '商家工作台',
      ...inboxPage(result, filters, app.clock.now()),
      filterError,
      sla: app.deadlinePolicy.rules,
    });
  });

  const showData = (req: FastifyRequest, id: number, state = {}) =>
    complaintPageData(app, req.ctx(), req.actor!, id, state);

  app.get(
    '/merchant/complaints/:id',
    { schema: { params: IdParams, querystring: MerchantShowQuery }, attachValidation: true },
    async (req, reply) => {
      if (!pageActor(req, reply, 'provider_staff')) return reply;
      return reply.page('merchant/show', showData(req, pageId(req), { done: req.query.done }));
    },
  );

  // A reply or a proposal may carry files (a refund receipt, a statement): multipart is read after the guards, its fields
  // checked against the events schema; files on any other event are refused by the lifecycle.
  app.post(
    '/merchant/complaints/:id/events',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' }, multipart: 'files' },
      schema: { params: IdParams },
      attachValidation: true,
    },
    async (req, reply) => {
      if (!pageActor(req, reply, 'provider_staff')) return reply;
      const id = pageId(req);
      const sent = await actFromForm(req, reply, {
        render: (state) => ({ template: 'merchant/show', data: showData(req, id, state) }),
        act: (input, files) => app.lifecycle.act(req.ctx(), id, input, files),
      });
      if (!sent) return reply;
      return reply.redirect(`/merchant/complaints/${id}?done=${encodeURIComponent(sent.type)}#timeline`, 303);
    },
  );
}
