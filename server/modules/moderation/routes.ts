// Admin pages: the dashboard (/admin) and the moderation queue (/admin/queue, with approve / reject forms), plus the
// queue as JSON. Thin: the verbs are app.moderation's, the actions app.lifecycle's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pageActor, requireRole } from '../../lib/http.ts';
import { doc, IdParams, responses } from '../../lib/schema.ts';
import { actFromForm, type FormState } from '../complaints/page-view.ts';
import { pageId } from '../complaints/schemas.ts';
import { toComplaintSummary } from '../complaints/view-model.ts';
import { toQueueItem } from './view-model.ts';
import { QueueBody, QueuePageQuery } from './schemas.ts';

export default async function moderationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const queueData = (req: FastifyRequest, state: FormState & { id?: number } = {}) => {
    const { total, items } = app.moderation.queue(req.ctx());
    return {
      title: '待审核投诉',
      total,
      conflict: state.conflict,
      done: state.done,
      errorSummary: state.failed ? Object.values(state.failed.errors) : undefined,
      items: items.map((r) => {
        const mine = state.failed && state.id === r.complaint.id;
        return {
          c: toQueueItem(r.complaint, r.provider, r.files),
          // What the public would see once approved: the same anonymiser and scrubbers as the public view.
          preview: app.board.previewPublic(r.complaint.id),
          actionUrl: `/admin/queue/${r.complaint.id}/events`,
          can: { approve: true, reject: true },
          canHold: r.complaint.consent === 'public',
          failed: mine ? { [state.failed!.type]: state.failed!.errors } : {},
          values: mine ? { [state.failed!.type]: state.failed!.values } : {},
        };
      }),
    };
  };

  app.get(
    '/api/v1/admin/queue',
    {
      schema: {
        ...doc({ tag: '管理', summary: '待审核的投诉（审核队列，最早提交的在前）', auth: '管理员' }),
        response: responses({ 200: QueueBody }, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      const { total, items } = app.moderation.queue(req.ctx());
      return { total, items: items.map((r) => toQueueItem(r.complaint, r.provider, r.files)) };
    },
  );

  app.get('/admin', async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const d = app.moderation.dashboard(req.ctx());
    return reply.page('admin/dashboard', {
      title: '管理后台',
      ...d,
      overdueItems: d.overdueItems.map((r) => toComplaintSummary(r.complaint, r.provider)),
    });
  });

  app.get('/admin/queue', { schema: { querystring: QueuePageQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    return reply.page('admin/queue', queueData(req, { done: req.query.done }));
  });

  // Multipart fields are read after the guards, then checked against the events schema.
  app.post(
    '/admin/queue/:id/events',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' }, multipart: 'fields' },
      schema: { params: IdParams },
      attachValidation: true,
    },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      const id = pageId(req);
      const sent = await actFromForm(req, reply, {
        render: (state) => ({ template: 'admin/queue', data: queueData(req, { ...state, id }) }),
        omit: ['hold'],
        act: async (input, _files, fields) => {
          // 通过但先不公开: held before the approval, so the case is never public until the moderator republishes it.
          if (input.type === 'approve' && fields.hold === '1')
            app.board.moderation.apply(req.ctx(), id, {
              type: 'unpublish',
              reason: '审核通过时暂缓公开，待核对公开文本',
              field: null,
              text: null,
            });
          return app.lifecycle.act(req.ctx(), id, input);
        },
      });
      if (!sent) return reply;
      if (sent.type === 'approve' && sent.fields.hold === '1')
        return reply.redirect(`/admin/cases/${id}/publication?done=held`, 303);
      return reply.redirect(`/admin/queue?done=${encodeURIComponent(sent.type)}`, 303);
    },
  );
}
