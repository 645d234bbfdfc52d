// The admins' publication page: what the public sees of a case, takedown and republish, and corrections of each public
// text beside its original. Admins only; anyone else gets 404.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { formAction, pageActor } from '../../lib/http.ts';
import { IdParams } from '../../lib/schema.ts';
import { DoneQuery, ModerationForm } from './schemas.ts';
import { readModeration } from './moderation.ts';
import { isPublishable, toPublicCase } from './public-case.ts';
import { PUBLIC_EVENTS, isPublicEvent } from './public-timeline.ts';
import { NotFound } from '../../lib/errors.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';

export default async function boardAdminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  function view(req: Parameters<typeof pageActor>[0], id: number, values: Record<string, unknown> = {}) {
    const state = app.board.moderation.state(req.ctx(), id);
    const src = app.board.source(id);
    if (!src) throw new NotFound('找不到该投诉');
    // Under review with consent: what approval would publish, so it can be corrected (or held) before anyone sees it.
    const beforeApproval = src.complaint.status === 'submitted' && src.complaint.consent === 'public';
    const doc = isPublishable(src.complaint) || beforeApproval ? toPublicCase(src) : null;
    const visible = src.events.filter(isPublicEvent);
    const texts = [
      { field: 'title', label: '标题', original: src.complaint.title, current: doc?.title ?? '', multiline: false },
      {
        field: 'description',
        label: '投诉内容',
        original: src.complaint.description,
        current: doc?.description ?? '',
        multiline: true,
      },
      ...visible
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => PUBLIC_EVENTS[e.type].withBody && e.body)
        .map(({ e, i }) => ({
          field: `event:${e.id}`,
          label: `${PUBLIC_EVENTS[e.type].label}（${doc?.timeline[i]?.date ?? ''}）`,
          original: e.body ?? '',
          current: doc?.timeline[i]?.body ?? '',
          multiline: true,
        })),
    ];
    return {
      title: `公开管理：${src.complaint.reference}`,
      id,
      reference: src.complaint.reference,
      state,
      doc,
      texts,
      values,
      beforeApproval,
      published: state.state === 'published',
      takenDown: state.state === 'taken_down',
    };
  }

  app.get(
    '/admin/cases/:id/publication',
    { schema: { params: IdParams, querystring: DoneQuery } },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      return reply.page('board/admin-publication', { ...view(req, req.params.id), done: req.query.done ?? '' });
    },
  );

  // A bad id is a 400 before anything (no form to show it beside); what the form's fields lack, the form shows.
  app.post(
    '/admin/cases/:id/publication',
    { config: ADMIN_WRITE_LIMIT, schema: { params: IdParams, body: ModerationForm }, attachValidation: true },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      const { id } = req.params;
      if (req.validationError?.validationContext === 'params') throw req.validationError;
      const raw = req.body ?? {};
      const done = await formAction(reply, 'board/admin-publication', view(req, id, raw), () =>
        app.board.moderation.apply(req.ctx(), id, readModeration(raw)),
      );
      if (!done) return reply;
      return reply.redirect(`/admin/cases/${id}/publication?done=${encodeURIComponent(String(raw.type))}`, 303);
    },
  );
}
