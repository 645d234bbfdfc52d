// Lifecycle routes: the events API, the consumer's edit/resubmit, and the same actions as forms on the complaint page
// (consumer and admin). Thin: read input, call one verb, answer.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { body, formAction, pageActor, requireRole } from '../../lib/http.ts';
import { doc, IdParams, responses } from '../../lib/schema.ts';
import { checkSchema } from '../../lib/schema-check.ts';
import { Invalid } from '../../lib/errors.ts';
import { LIMITS } from './input.ts';
import { actFromForm, complaintDetail, complaintPageData } from './page-view.ts';
import { isEditableByConsumer } from './states.ts';
import { readSubmission } from './submission.ts';
import { checkEventFields, ComplaintPatch, ComplaintView, EditForm, EventBody, pageId } from './schemas.ts';
import { CATEGORIES, CATEGORY_LABELS, DEMANDS, DEMAND_LABELS } from './taxonomy.ts';
import { toComplaintView } from './view-model.ts';

const EVENT_LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };
// A supplement may carry files: these routes accept multipart, read only after the guards (server/plugins/uploads.ts).
const EVENT_UPLOAD = { ...EVENT_LIMIT, multipart: 'files' as const };
const EVENTS_DOC =
  '当前状态或角色不允许时 409 / 404（先判断能否看到投诉，再判断状态，最后检查输入）。' +
  'supplement（消费者）、reply 与 propose_resolution（机构）也可以 multipart/form-data 提交，附件放在 attachments；' +
  '字段按同一 schema 检查。';
/** Pages addressed by id: a non-numeric id is the 404 page (pageId). */
const PAGE = { params: IdParams };

export default async function complaintEventRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const fullView = (req: FastifyRequest, id: number) =>
    toComplaintView(complaintDetail(app, req.ctx(), id), req.actor!);

  app.post(
    '/api/v1/complaints/:id/events',
    {
      config: EVENT_UPLOAD,
      schema: {
        ...doc({
          tag: '投诉',
          summary: '处理事件（审核、回复、确认、撤诉、撤下公开等）；当前状态不允许时 409',
          auth: '按事件类型',
          csrf: true,
          description: EVENTS_DOC,
        }),
        consumes: ['application/json', 'multipart/form-data'],
        params: IdParams,
        body: { content: { 'application/json': { schema: EventBody } } },
        response: responses({ 200: ComplaintView }, 400, 401, 403, 404, 409, 411, 413, 429, 503),
      },
    },
    async (req, reply) => {
      requireRole(req);
      const id = req.params.id;
      const { fields, files } = await readSubmission(req, reply);
      // JSON was checked by fastify; multipart fields are checked here, after the guards, against the same schema.
      await app.lifecycle.act(
        req.ctx(),
        id,
        req.isMultipart() ? checkEventFields(fields, files.length > 0) : fields,
        files,
      );
      return fullView(req, id);
    },
  );

  app.patch(
    '/api/v1/complaints/:id',
    {
      config: EVENT_LIMIT,
      schema: {
        ...doc({
          tag: '投诉',
          summary: '修改审核中或被退回的投诉（被退回的修改后重新提交）',
          auth: '消费者',
          csrf: true,
          description: '只需发送要修改的字段。',
        }),
        params: IdParams,
        body: ComplaintPatch,
        response: responses({ 200: ComplaintView }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (req) => {
      requireRole(req);
      const id = req.params.id;
      app.lifecycle.edit(req.ctx(), id, req.body);
      return fullView(req, id);
    },
  );

  // The complaint page's forms (consumer follow-up, admin moderation and closing).
  app.post(
    '/complaints/:id/events',
    { config: EVENT_UPLOAD, schema: PAGE, attachValidation: true },
    async (req, reply) => {
      const actor = pageActor(req, reply);
      if (!actor) return reply;
      const id = pageId(req);
      const sent = await actFromForm(req, reply, {
        render: (state) => ({
          template: 'complaints/show',
          data: { ...complaintPageData(app, req.ctx(), actor, id, state), isOwner: actor.role === 'consumer' },
        }),
        act: (input, files) => app.lifecycle.act(req.ctx(), id, input, files),
      });
      if (!sent) return reply;
      return reply.redirect(`/complaints/${id}?done=${encodeURIComponent(sent.type)}#timeline`, 303);
    },
  );

  const editView = (id: number, values: Record<string, unknown>) => ({
    title: '修改投诉',
    id,
    values,
    limits: LIMITS,
    categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
    demands: DEMANDS.map((d) => ({ value: d, label: DEMAND_LABELS[d] })),
  });

  app.get('/complaints/:id/edit', { schema: PAGE, attachValidation: true }, async (req, reply) => {
    const actor = pageActor(req, reply, 'consumer');
    if (!actor) return reply;
    const id = pageId(req);
    const v = toComplaintView(complaintDetail(app, req.ctx(), id), actor);
    if (!isEditableByConsumer(v)) return reply.redirect(`/complaints/${id}`, 303);
    const rejection = [...v.timeline].reverse().find((e) => e.type === 'reject');
    return reply.page('complaints/edit', {
      ...editView(id, {
        provider: v.provider.name,
        category: v.category,
        title: v.title,
        description: v.description,
        demands: v.demands,
        consent: v.consent,
        amountYuan: v.amountFen === null ? '' : (v.amountFen / 100).toFixed(2),
      }),
      rejected: v.status === 'rejected',
      rejection: rejection?.body ?? null,
    });
  });

  // The edit form (urlencoded) is checked in the action against the PATCH schema, so its messages land beside the
  // fields; an empty field is sent on (it clears an optional value, or is refused by the reader if required).
  app.post(
    '/complaints/:id/edit',
    { config: EVENT_LIMIT, schema: { ...PAGE, body: EditForm }, attachValidation: true },
    async (req, reply) => {
      const actor = pageActor(req, reply, 'consumer');
      if (!actor) return reply;
      const id = pageId(req);
      const raw = body(req);
      const fields = { ...raw, demands: ([] as unknown[]).concat(raw.demands ?? []) };
      const { complaint } = app.complaints.load(req.ctx(), id);
      const view = { ...editView(id, fields), rejected: complaint.status === 'rejected' };
      const done = await formAction(reply, 'complaints/edit', view, () => {
        const { value, problems } = checkSchema(ComplaintPatch, fields);
        if (Object.keys(problems).length) throw new Invalid(problems);
        return app.lifecycle.edit(req.ctx(), id, value);
      });
      if (!done) return reply;
      return reply.redirect(`/complaints/${id}?done=edit`, 303);
    },
  );
}
