// The admins' publication page: what the public sees of a case, takedown and republish, and corrections of each public
// text beside its original. Admins only; anyone else gets 404.
import type { FastifyInstance } from 'fastify';
import { formAction, idParam, pageActor } from '../../lib/http.ts';
import { body } from '../../lib/http.ts';
import { readModeration } from './moderation.ts';
import { isPublishable, toPublicCase } from './public-case.ts';
import { PUBLIC_EVENTS, isPublicEvent } from './public-timeline.ts';
import { NotFound } from '../../lib/errors.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';

export default async function boardAdminRoutes(app: FastifyInstance) {
  function view(req: Parameters<typeof pageActor>[0], id: number, values: Record<string, unknown> = {}) {
    const state = app.board.moderation.state(req.ctx(), id);
    const src = app.board.source(id);
    if (!src) throw new NotFound('找不到该投诉');
    const doc = isPublishable(src.complaint) ? toPublicCase(src) : null;
    const visible = src.events.filter(isPublicEvent);
    const texts = [
      { field: 'title', label: '标题', original: src.complaint.title, current: doc?.title ?? '', multiline: false },
      { field: 'description', label: '投诉内容', original: src.complaint.description, current: doc?.description ?? '', multiline: true },
      ...visible.map((e, i) => ({ e, i })).filter(({ e }) => PUBLIC_EVENTS[e.type].withBody && e.body).map(({ e, i }) => ({
        field: `event:${e.id}`, label: `${PUBLIC_EVENTS[e.type].label}（${doc?.timeline[i]?.date ?? ''}）`, original: e.body ?? '',
        current: doc?.timeline[i]?.body ?? '', multiline: true,
      })),
    ];
    return {
      title: `公开管理：${src.complaint.reference}`, id, reference: src.complaint.reference, state, doc, texts, values,
      published: state.state === 'published', takenDown: state.state === 'taken_down',
    };
  }

  app.get('/admin/cases/:id/publication', async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const id = idParam(req);
    return reply.page('board/admin-publication', { ...view(req, id), done: (req.query as Record<string, string>).done ?? '' });
  });

  app.post('/admin/cases/:id/publication', { config: ADMIN_WRITE_LIMIT }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const id = idParam(req);
    const raw = body(req);
    const done = await formAction(reply, 'board/admin-publication', view(req, id, raw), () =>
      app.board.moderation.apply(req.ctx(), id, readModeration(raw)));
    if (!done) return reply;
    return reply.redirect(`/admin/cases/${id}/publication?done=${encodeURIComponent(String(raw.type))}`, 303);
  });
}
