// The filing form's pages: one page that works without JavaScript, in steps (机构 → 问题 → 证据 → 公开方式 → 核对), the
// 核对 page, and a draft restored or discarded. What one post does is filing-form.ts's.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { formAction, pageActor } from '../../lib/http.ts';
import { sizeLimitText } from '../../lib/sizes.ts';
import { chinaDay } from '../../lib/china-time.ts';
import type { Suggestion } from '../providers/suggest.ts';
import { toPublicProvider } from '../providers/view-model.ts';
import { EXTENSIONS } from './file-types.ts';
import { carriedFields, keptView, reviewView } from './filing-review.ts';
import { LIMITS, type ComplaintInput } from './input.ts';
import { filingStep, newFormKey, type FilingState } from './filing-form.ts';
import type { HeldFile } from './pending-uploads.ts';
import { readSubmission } from './submission.ts';
import { complaintDraftStore } from './drafts.ts';
import { Type } from '../../lib/schema.ts';
import { CATEGORIES, CATEGORY_LABELS, DEMANDS, DEMAND_LABELS } from './taxonomy.ts';
import { NewComplaintQuery } from './schemas.ts';

const ACCEPT = Object.keys(EXTENSIONS).join(',');

export default async function complaintFilingRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const limits = { ...app.config.uploads, maxPixels: app.config.uploadMaxPixels };
  const drafts = complaintDraftStore(app.db);
  const formView = (
    values: Record<string, unknown>,
    providerSuggestions: Suggestion[] = [],
    held: readonly HeldFile[] = [],
  ) => ({
    title: '我要投诉',
    providerSuggestions,
    providers: app.providers.list().map(toPublicProvider),
    categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
    demands: DEMANDS.map((d) => ({ value: d, label: DEMAND_LABELS[d] })),
    limits: LIMITS,
    today: chinaDay(app.clock.now()),
    sla: app.deadlinePolicy.rules,
    maxFiles: app.config.uploads.maxFiles,
    maxFileBytes: app.config.uploads.maxFileBytes,
    maxFileSize: sizeLimitText(app.config.uploads.maxFileBytes),
    accept: ACCEPT,
    kept: keptView(held),
    values: { consent: 'public', demands: [], submissionKey: newFormKey(), ...values },
  });

  app.get('/complaints/new', { schema: { querystring: NewComplaintQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'consumer')) return reply;
    const draft = drafts.get(req.ctx());
    const provider = req.query.provider ?? draft?.fields.provider ?? '';
    return reply.page('complaints/new', {
      ...formView({ ...draft?.fields, provider }),
      draft: draft ? { at: draft.updatedAt, restored: true } : null,
    });
  });

  app.post(
    '/complaints/draft/discard',
    { schema: { body: Type.Object({}) }, config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (req, reply) => {
      if (!pageActor(req, reply, 'consumer')) return reply;
      drafts.discard(req.ctx());
      return reply.redirect('/complaints/new', 303);
    },
  );

  // A multipart form: its fields are read after the guards and checked against the API's schema (filing-form.ts).
  app.post(
    '/complaints/new',
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' }, multipart: 'files' } },
    async (req, reply) => {
      const actor = pageActor(req, reply, 'consumer');
      if (!actor) return reply;
      const st: FilingState = { fields: {}, suggestions: [], held: [], draft: null };
      const values = () => ({ ...st.fields, demands: ([] as unknown[]).concat(st.fields.demands ?? []) });
      const outcome = await formAction(
        reply,
        'complaints/new',
        () => ({ ...formView(values(), st.suggestions, st.held), draft: st.draft }),
        async () => filingStep(app, req, actor, await readSubmission(req, reply), { limits, drafts }, st),
      );
      if (!outcome) return reply;
      if (outcome.kind === 'filed') return reply.redirect(`/complaints/${outcome.id}?filed=1`, 303);
      if (outcome.kind === 'review') return renderReview(req, reply, outcome.input, st.fields, st.held);
      return reply.page('complaints/new', { ...formView(values(), [], st.held), draft: st.draft });
    },
  );

  function renderReview(
    req: FastifyRequest,
    reply: FastifyReply,
    input: ComplaintInput,
    fields: Record<string, unknown>,
    held: HeldFile[],
  ) {
    return reply.page('complaints/review', {
      title: '核对投诉',
      ...reviewView(app, req.ctx(), req.actor!.id, input, held),
      hidden: carriedFields(fields),
      kept: keptView(held),
    });
  }
}
