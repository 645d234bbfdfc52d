// Merchant portal: the inbox (page and JSON) and the complaint page with reply, request_info, propose_resolution and
// internal note forms. Provider staff only; thin: read input, call a verb, render.
import type { FastifyInstance } from 'fastify';
import { idParam, pageActor, requireRole } from '../../lib/http.ts';
import { Invalid } from '../../lib/errors.ts';
import { complaintPageData, eventForm } from '../complaints/page-view.ts';
import { readSubmission } from '../complaints/submission.ts';
import { STATUS_LABELS } from '../complaints/states.ts';
import { readInboxFilters, STAFF_STATUSES, type InboxFilters } from './input.ts';
import { toInboxItem } from './view-model.ts';

export default async function merchantRoutes(app: FastifyInstance) {
  app.get('/api/v1/merchant/complaints', async (req) => {
    requireRole(req, 'provider_staff');
    const filters = readInboxFilters(req.query as Record<string, unknown>);
    const { rows, total, page, pageSize } = app.merchant.inbox(req.ctx(), filters);
    const now = app.clock.now();
    return { total, page, pageSize, items: rows.map((r) => toInboxItem(r.complaint, r.provider, now)) };
  });

  app.get('/merchant', async (req, reply) => {
    if (!pageActor(req, reply, 'provider_staff')) return reply;
    let filters: InboxFilters = { status: null, overdue: null, page: 1 };
    let filterError: string | null = null;
    try { filters = readInboxFilters(req.query as Record<string, unknown>); } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      filterError = err.message;
    }
    const { rows, total, page, pageSize } = app.merchant.inbox(req.ctx(), filters);
    const now = app.clock.now();
    const counts = app.merchant.counts(req.ctx());
    const open = counts.filter((c) => ['forwarded', 'in_progress', 'awaiting_consumer'].includes(c.status));
    return reply.page('merchant/inbox', {
      title: '商家工作台', items: rows.map((r) => toInboxItem(r.complaint, r.provider, now)), total, page, pageSize,
      hasNext: page * pageSize < total, nextPage: page + 1, prevPage: page > 1 ? page - 1 : null,
      filters: { status: filters.status ?? '', overdue: filters.overdue === null ? '' : filters.overdue ? '1' : '0' },
      statuses: STAFF_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })), filterError,
      openCount: open.reduce((n, c) => n + c.n, 0), overdueCount: open.reduce((n, c) => n + (c.overdue ?? 0), 0),
    });
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
