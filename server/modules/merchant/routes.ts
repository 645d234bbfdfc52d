// Merchant portal: the inbox (page and JSON) and the complaint page with reply, request_info, propose_resolution and
// internal note forms. Provider staff only; thin: read input, call a verb, render.
import type { FastifyInstance } from 'fastify';
import { idParam, pageActor, requireRole } from '../../lib/http.ts';
import { Invalid } from '../../lib/errors.ts';
import { complaintPageData, eventForm } from '../complaints/page-view.ts';
import { readSubmission } from '../complaints/submission.ts';
import { DEFAULT_FILTERS, readInboxFilters, type InboxFilters } from './input.ts';
import { inboxPage, toInboxItem } from './view-model.ts';

export default async function merchantRoutes(app: FastifyInstance) {
  app.get('/api/v1/merchant/complaints', async (req) => {
    requireRole(req, 'provider_staff');
    const filters = readInboxFilters(req.query as Record<string, unknown>);
    const { rows, ...rest } = app.merchant.inbox(req.ctx(), filters);
    const now = app.clock.now();
    return { ...rest, items: rows.map((r) => toInboxItem(r.complaint, r.provider, now)) };
  });

  app.get('/merchant', async (req, reply) => {
    if (!pageActor(req, reply, 'provider_staff')) return reply;
    let filters: InboxFilters = DEFAULT_FILTERS;
    let filterError: string | null = null;
    try { filters = readInboxFilters(req.query as Record<string, unknown>); } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      filterError = err.message;
    }
    const result = app.merchant.inbox(req.ctx(), filters);
    return reply.page('merchant/inbox', { title: '商家工作台', ...inboxPage(result, filters, app.clock.now()), filterError, sla: app.deadlinePolicy.rules });
  });

  const showData = (req: Parameters<typeof requireRole>[0], id: number, state = {}) => complaintPageData(app, req.ctx(), req.actor!, id, state);

  app.get('/merchant/complaints/:id', async (req, reply) => {
    if (!pageActor(req, reply, 'provider_staff')) return reply;
    const done = (req.query as Record<string, string>).done;
    return reply.page('merchant/show', showData(req, idParam(req), { done }));
  });

  // Staff never attach files (only a consumer's supplement does): multipart is read for its fields alone.
  app.post('/merchant/complaints/:id/events', { config: { rateLimit: { max: 60, timeWindow: '1 minute' }, multipart: 'fields' } }, async (req, reply) => {
    if (!pageActor(req, reply, 'provider_staff')) return reply;
    const id = idParam(req);
    let fields: Record<string, unknown> = {};
    const type = () => (typeof fields.type === 'string' ? fields.type : '');
    const ok = await eventForm(reply, () => ({ type: type(), fields }), (state) => ({ template: 'merchant/show', data: showData(req, id, state) }),
      async () => {
        fields = (await readSubmission(req, reply)).fields;
        return app.lifecycle.act(req.ctx(), id, fields);
      });
    if (!ok) return reply;
    return reply.redirect(`/merchant/complaints/${id}?done=${encodeURIComponent(type())}#timeline`, 303);
  });
}
