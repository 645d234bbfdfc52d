// The filing form: one page that works without JavaScript, in steps (机构 → 问题 → 证据 → 公开方式 → 核对). Its files
// are held as pending uploads whenever the form comes back (an error, the review, 返回修改), so they are not chosen
// twice; every problem, the files' included, shows at once beside its field.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Invalid, TooLarge } from '../../lib/errors.ts';
import { formAction, pageActor } from '../../lib/http.ts';
import { readChecked } from '../../lib/schema-check.ts';
import { sizeLimitText } from '../../lib/sizes.ts';
import { chinaDay } from '../../lib/china-time.ts';
import type { Suggestion } from '../providers/suggest.ts';
import { toPublicProvider } from '../providers/view-model.ts';
import { EXTENSIONS } from './file-types.ts';
import { carriedFields, keptView, reviewView } from './filing-review.ts';
import { readComplaint, LIMITS, type ComplaintInput } from './input.ts';
import type { HeldFile } from './pending-uploads.ts';
import { readSubmission } from './submission.ts';
import { complaintDraftStore } from './drafts.ts';
import { Type } from '../../lib/schema.ts';
import { CATEGORIES, CATEGORY_LABELS, DEMANDS, DEMAND_LABELS } from './taxonomy.ts';
import { ComplaintBody, NewComplaintQuery } from './schemas.ts';

/** The choice offered beside the suggestions: file against the name as typed (a pending provider, reviewed first). */
const KEEP_TYPED = '__keep';
const ACCEPT = Object.keys(EXTENSIONS).join(',');
const newKey = () => randomBytes(16).toString('hex');

type Outcome =
  | { kind: 'filed'; id: number }
  | { kind: 'review'; input: ComplaintInput }
  | { kind: 'edit' }
  | { kind: 'draft' };

export default async function complaintFilingRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const limits = { ...app.config.uploads, maxPixels: app.config.uploadMaxPixels };
  const drafts = complaintDraftStore(app.db);
  /** A suggestion the consumer picked (a listed provider's slug) replaces what was typed. */
  const pickedProvider = (fields: Record<string, unknown>) => {
    const pick = fields.providerPick;
    return typeof pick === 'string' && pick !== KEEP_TYPED && app.providers.getListedOrNull(pick) ? pick : null;
  };

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
    values: { consent: 'public', demands: [], submissionKey: newKey(), ...values },
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

  // A multipart form: its fields are read after the guards and checked against the API's schema in the action.
  app.post(
    '/complaints/new',
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' }, multipart: 'files' } },
    async (req, reply) => {
      const actor = pageActor(req, reply, 'consumer');
      if (!actor) return reply;
      let fields: Record<string, unknown> = {};
      let suggestions: Suggestion[] = [];
      let held: HeldFile[] = [];
      let draft: { at: number; restored: false } | null = null;
      const values = () => ({ ...fields, demands: ([] as unknown[]).concat(fields.demands ?? []) });
      const outcome = await formAction(
        reply,
        'complaints/new',
        () => ({ ...formView(values(), suggestions, held), draft }),
        async (): Promise<Outcome> => {
          const sent = await readSubmission(req, reply);
          fields = sent.fields;
          const typedKey = typeof fields.submissionKey === 'string' ? fields.submissionKey.slice(0, 100) : '';
          const key = typedKey || newKey();
          fields = { ...fields, submissionKey: key };
          // A form already filed (a double click, 确认提交 sent twice) answers with that complaint, whatever it carries.
          const earlier = typedKey ? app.complaints.filedWith(req.ctx(), key) : null;
          if (earlier !== null) {
            await app.pendingUploads.release(actor.id, key);
            return { kind: 'filed', id: earlier };
          }
          const intent =
            fields.intent === 'review' || fields.intent === 'edit' || fields.intent === 'draft'
              ? fields.intent
              : 'submit';
          // Files first, so their problems join the fields' problems instead of waiting for them to be fixed.
          const kept = await app.pendingUploads.reopen(actor.id, key, ([] as unknown[]).concat(fields.kept ?? []));
          const fresh = await app.pendingUploads.hold(actor.id, key, sent.files, limits, kept.files);
          held = [...kept.files, ...fresh.files];
          const fileProblems = [...kept.problems, ...fresh.problems];
          if (intent === 'draft') {
            drafts.save(req.ctx(), fields);
            draft = { at: app.clock.now(), restored: false };
            if (fileProblems.length) throw new Invalid({ attachments: fileProblems.join('；') });
            return { kind: 'draft' };
          }
          if (intent === 'edit') {
            if (fileProblems.length) throw new Invalid({ attachments: fileProblems.join('；') });
            return { kind: 'edit' };
          }
          const problems: Record<string, string> = {};
          let input: ComplaintInput | null = null;
          const picked = pickedProvider(fields);
          const checked = picked ? { ...fields, provider: picked } : fields;
          try {
            input = readChecked(req, ComplaintBody, checked, (f) => readComplaint(f, app.clock));
          } catch (err) {
            if (!(err instanceof Invalid)) throw err;
            Object.assign(problems, err.errors);
          }
          if (fileProblems.length) problems.attachments = fileProblems.join('；');
          // Alone, a file over the cap keeps its own status (413); with other problems it is one of them.
          if (fresh.tooLarge && Object.keys(problems).length === 1)
            throw new TooLarge(problems.attachments!, 'attachments');
          if (!input || Object.keys(problems).length) throw new Invalid(problems);
          if (picked) fields = { ...fields, provider: picked };
          // A name that is not a listed provider: ask once which one was meant, unless the consumer chose to keep it.
          if (fields.providerPick !== KEEP_TYPED && !app.providers.matchListed(input.provider)) {
            suggestions = app.providerSuggester.suggest(input.provider);
            if (suggestions.length)
              throw new Invalid(
                { provider: `你是不是要找：${suggestions.map((s) => s.name).join('、')}？请选择，或保留你填写的名称` },
                'PROVIDER_SUGGESTED',
              );
          }
          if (intent === 'review') return { kind: 'review', input };
          const result = await app.complaints.file(req.ctx(), input, [], key, held);
          await app.pendingUploads.release(actor.id, key);
          drafts.discard(req.ctx());
          return { kind: 'filed', id: result.complaint.id };
        },
      );
      if (!outcome) return reply;
      if (outcome.kind === 'filed') return reply.redirect(`/complaints/${outcome.id}?filed=1`, 303);
      if (outcome.kind === 'edit') return reply.page('complaints/new', formView(values(), [], held));
      if (outcome.kind === 'draft') return reply.page('complaints/new', { ...formView(values(), [], held), draft });
      return renderReview(req, reply, outcome.input, fields, held);
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
