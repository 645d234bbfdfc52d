// Admin pages: the dashboard (/admin) and the moderation queue (/admin/queue, with approve / reject forms), plus the
// queue as JSON. Thin: the verbs are app.moderation's, the actions app.lifecycle's.
import type { FastifyInstance } from 'fastify';
import { idParam, pageActor, requireRole } from '../../lib/http.ts';
import { eventForm, type FormState } from '../complaints/page-view.ts';
import { readSubmission } from '../complaints/submission.ts';
import { toComplaintSummary } from '../complaints/view-model.ts';
import { toQueueItem } from './view-model.ts';

export default async function moderationRoutes(app: FastifyInstance) {
  const queueData = (req: Parameters<typeof requireRole>[0], state: FormState & { id?: number } = {}) => {
    const { total, items } = app.moderation.queue(req.ctx());
    return {
      title: '待审核投诉', total, conflict: state.conflict, done: state.done,
      errorSummary: state.failed ? Object.values(state.failed.errors) : undefined,
      items: items.map((r) => {
        const mine = state.failed && state.id === r.complaint.id;
        return {
          c: toQueueItem(r.complaint, r.provider, r.files), actionUrl: `/admin/queue/${r.complaint.id}/events`, can: { approve: true, reject: true },
          failed: mine ? { [state.failed!.type]: state.failed!.errors } : {}, values: mine ? { [state.failed!.type]: state.failed!.values } : {},
        };
      }),
    };
  };

  app.get('/api/v1/admin/queue', async (req) => {
    requireRole(req, 'admin');
    const { total, items } = app.moderation.queue(req.ctx());
    return { total, items: items.map((r) => toQueueItem(r.complaint, r.provider, r.files)) };
  });

  app.get('/admin', async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const d = app.moderation.dashboard(req.ctx());
    return reply.page('admin/dashboard', { title: '管理后台', ...d, overdueItems: d.overdueItems.map((r) => toComplaintSummary(r.complaint, r.provider)) });
  });

  app.get('/admin/queue', async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    return reply.page('admin/queue', queueData(req, { done: (req.query as Record<string, string>).done }));
  });

  app.post('/admin/queue/:id/events', { config: { rateLimit: { max: 120, timeWindow: '1 minute' }, multipart: 'fields' } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const id = idParam(req);
    let fields: Record<string, unknown> = {};
    const type = () => (typeof fields.type === 'string' ? fields.type : '');
    const ok = await eventForm(reply, () => ({ type: type(), fields }), (state) => ({ template: 'admin/queue', data: queueData(req, { ...state, id }) }),
      async () => {
        fields = (await readSubmission(req, reply)).fields;
        return app.lifecycle.act(req.ctx(), id, fields);
      });
    if (!ok) return reply;
    return reply.redirect(`/admin/queue?done=${encodeURIComponent(type())}`, 303);
  });
}
