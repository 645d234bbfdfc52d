// Complaint pages for consumers: the form, the complaint page and the list of one's own complaints.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Invalid } from '../../lib/errors.ts';
import { formAction, pageActor } from '../../lib/http.ts';
import { IdParams } from '../../lib/schema.ts';
import { readChecked } from '../../lib/schema-check.ts';
import type { Suggestion } from '../providers/suggest.ts';
import { sizeLimitText } from '../../lib/sizes.ts';
import { toPublicProvider } from '../providers/view-model.ts';
import { chinaDay } from '../../lib/china-time.ts';
import { readComplaint, LIMITS } from './input.ts';
import { readSubmission } from './submission.ts';
import { CATEGORIES, CATEGORY_LABELS, DEMANDS, DEMAND_LABELS } from './taxonomy.ts';
import { toComplaintSummary } from './view-model.ts';
import { complaintPageData } from './page-view.ts';
import { ComplaintBody, ComplaintPageQuery, NewComplaintQuery, pageId } from './schemas.ts';

/** The choice offered beside the suggestions: file against the name as typed (a pending provider, reviewed first). */
const KEEP_TYPED = '__keep';

export default async function complaintPageRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  /** A suggestion the consumer picked (a listed provider's slug) replaces what was typed. */
  const pickedProvider = (fields: Record<string, unknown>) => {
    const pick = fields.providerPick;
    return typeof pick === 'string' && pick !== KEEP_TYPED && app.providers.getListedOrNull(pick) ? pick : null;
  };

  const formView = (values: Record<string, unknown>, providerSuggestions: Suggestion[] = []) => ({
    title: '我要投诉',
    providerSuggestions,
    providers: app.providers.list().map(toPublicProvider),
    categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
    demands: DEMANDS.map((d) => ({ value: d, label: DEMAND_LABELS[d] })),
    limits: LIMITS,
    today: chinaDay(app.clock.now()),
    sla: app.deadlinePolicy.rules,
    maxFiles: app.config.uploads.maxFiles,
    maxFileSize: sizeLimitText(app.config.uploads.maxFileBytes),
    values: { consent: 'public', demands: [], submissionKey: randomBytes(16).toString('hex'), ...values },
  });

  app.get('/complaints/new', { schema: { querystring: NewComplaintQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'consumer')) return reply;
    return reply.page('complaints/new', formView({ provider: req.query.provider ?? '' }));
  });

  // A multipart form: its fields are read after the guards and checked against the API's schema in the action.
  app.post(
    '/complaints/new',
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' }, multipart: 'files' } },
    async (req, reply) => {
      if (!pageActor(req, reply, 'consumer')) return reply;
      let fields: Record<string, unknown> = {};
      let suggestions: Suggestion[] = [];
      const values = () => ({ ...fields, demands: ([] as unknown[]).concat(fields.demands ?? []) });
      const result = await formAction(
        reply,
        'complaints/new',
        () => formView(values(), suggestions),
        async () => {
          const sent = await readSubmission(req, reply);
          fields = sent.fields;
          const files = sent.files;
          const picked = pickedProvider(fields);
          if (picked) fields = { ...fields, provider: picked };
          const input = readChecked(req, ComplaintBody, fields, (f) => readComplaint(f, app.clock));
          // A name that is not a listed provider: ask once which one was meant, unless the consumer chose to keep it.
          if (fields.providerPick !== KEEP_TYPED && !app.providers.matchListed(input.provider)) {
            suggestions = app.providerSuggester.suggest(input.provider);
            if (suggestions.length)
              throw new Invalid(
                { provider: `你是不是要找：${suggestions.map((s) => s.name).join('、')}？请选择，或保留你填写的名称` },
                'PROVIDER_SUGGESTED',
              );
          }
          const key =
            typeof fields.submissionKey === 'string' && fields.submissionKey
              ? fields.submissionKey.slice(0, 100)
              : null;
          return app.complaints.file(req.ctx(), input, files, key);
        },
      );
      if (!result) return reply;
      return reply.redirect(`/complaints/${result.complaint.id}?filed=1`, 303);
    },
  );

  app.get(
    '/complaints/:id',
    { schema: { params: IdParams, querystring: ComplaintPageQuery }, attachValidation: true },
    async (req, reply) => {
      const actor = pageActor(req, reply);
      if (!actor) return reply;
      const id = pageId(req);
      const q = req.query;
      const data = complaintPageData(app, req.ctx(), actor, id, { done: q.done });
      return reply.page('complaints/show', { ...data, justFiled: q.filed === '1', isOwner: actor.role === 'consumer' });
    },
  );

  app.get('/me/complaints', async (req, reply) => {
    if (!pageActor(req, reply, 'consumer')) return reply;
    const items = app.complaints.listMine(req.ctx()).map((r) => toComplaintSummary(r.complaint, r.provider));
    return reply.page('complaints/mine', { title: '我的投诉', items });
  });
}
