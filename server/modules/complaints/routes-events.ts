// Lifecycle routes: the events API, the consumer's edit/resubmit, and the same actions as forms on the complaint page
// (consumer and admin). Thin: read input, call one verb, answer.
import type { FastifyInstance } from 'fastify';
import { body, formAction, idParam, pageActor, requireRole } from '../../lib/http.ts';
import { LIMITS } from './input.ts';
import { complaintDetail, complaintPageData, eventForm } from './page-view.ts';
import { isEditableByConsumer } from './states.ts';
import { readSubmission } from './submission.ts';
import { CATEGORIES, CATEGORY_LABELS, DEMANDS, DEMAND_LABELS } from './taxonomy.ts';
import { toComplaintView } from './view-model.ts';

const EVENT_LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };
// A supplement may carry files: these routes accept multipart, read only after the guards (server/plugins/uploads.ts).
const EVENT_UPLOAD = { ...EVENT_LIMIT, multipart: 'files' as const };

export default async function complaintEventRoutes(app: FastifyInstance) {
  const fullView = (req: Parameters<typeof requireRole>[0], id: number) => toComplaintView(complaintDetail(app, req.ctx(), id), req.actor!);

  app.post('/api/v1/complaints/:id/events', { config: EVENT_UPLOAD }, async (req, reply) => {
    requireRole(req);
    const id = idParam(req);
    const { fields, files } = await readSubmission(req, reply);
    await app.lifecycle.act(req.ctx(), id, fields, files);
    return fullView(req, id);
  });

  app.patch('/api/v1/complaints/:id', { config: EVENT_LIMIT }, async (req) => {
    requireRole(req);
    const id = idParam(req);
    app.lifecycle.edit(req.ctx(), id, body(req));
    return fullView(req, id);
  });

  // The complaint page's forms (consumer follow-up, admin moderation and closing).
  app.post('/complaints/:id/events', { config: EVENT_UPLOAD }, async (req, reply) => {
    const actor = pageActor(req, reply);
    if (!actor) return reply;
    const id = idParam(req);
    let fields: Record<string, unknown> = {};
    const type = () => (typeof fields.type === 'string' ? fields.type : '');
    const ok = await eventForm(reply, () => ({ type: type(), fields }),
      (state) => ({ template: 'complaints/show', data: { ...complaintPageData(app, req.ctx(), actor, id, state), isOwner: actor.role === 'consumer' } }),
      async () => {
        const sent = await readSubmission(req, reply);
        fields = sent.fields;
        return app.lifecycle.act(req.ctx(), id, fields, sent.files);
      });
    if (!ok) return reply;
    return reply.redirect(`/complaints/${id}?done=${encodeURIComponent(type())}#timeline`, 303);
  });

  const editView = (id: number, values: Record<string, unknown>) => ({
    title: '修改投诉', id, values, limits: LIMITS,
    categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
    demands: DEMANDS.map((d) => ({ value: d, label: DEMAND_LABELS[d] })),
  });

  app.get('/complaints/:id/edit', async (req, reply) => {
    const actor = pageActor(req, reply, 'consumer');
    if (!actor) return reply;
    const id = idParam(req);
    const v = toComplaintView(complaintDetail(app, req.ctx(), id), actor);
    if (!isEditableByConsumer(v)) return reply.redirect(`/complaints/${id}`, 303);
    const rejection = [...v.timeline].reverse().find((e) => e.type === 'reject');
    return reply.page('complaints/edit', {
      ...editView(id, {
        provider: v.provider.name, category: v.category, title: v.title, description: v.description, demands: v.demands, consent: v.consent,
        amountYuan: v.amountFen === null ? '' : (v.amountFen / 100).toFixed(2),
      }),
      rejected: v.status === 'rejected', rejection: rejection?.body ?? null,
    });
  });

  app.post('/complaints/:id/edit', { config: EVENT_LIMIT }, async (req, reply) => {
    const actor = pageActor(req, reply, 'consumer');
    if (!actor) return reply;
    const id = idParam(req);
    const raw = body(req);
    const fields = { ...raw, demands: ([] as unknown[]).concat(raw.demands ?? []) };
    const { complaint } = app.complaints.load(req.ctx(), id);
    const view = { ...editView(id, fields), rejected: complaint.status === 'rejected' };
    const done = await formAction(reply, 'complaints/edit', view, () => app.lifecycle.edit(req.ctx(), id, fields));
    if (!done) return reply;
    return reply.redirect(`/complaints/${id}?done=edit`, 303);
  });
}
