// Complaint pages for consumers: the form, the complaint page and the list of one's own complaints.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { formAction, idParam, pageActor } from '../../lib/http.ts';
import { toPublicProvider } from '../providers/view-model.ts';
import { chinaDay } from '../../lib/china-time.ts';
import { readComplaint, LIMITS } from './input.ts';
import { readSubmission } from './submission.ts';
import { CATEGORIES, CATEGORY_LABELS, DEMANDS, DEMAND_LABELS } from './taxonomy.ts';
import { toComplaintSummary } from './view-model.ts';
import { complaintPageData } from './page-view.ts';

export default async function complaintPageRoutes(app: FastifyInstance) {
  const formView = (values: Record<string, unknown>) => ({
    title: '我要投诉',
    providers: app.providers.list().map(toPublicProvider),
    categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
    demands: DEMANDS.map((d) => ({ value: d, label: DEMAND_LABELS[d] })),
    limits: LIMITS,
    today: chinaDay(app.clock.now()),
    maxFiles: app.config.uploads.maxFiles,
    maxFileMb: Math.round(app.config.uploads.maxFileBytes / 1024 / 1024),
    values: { consent: 'public', demands: [], submissionKey: randomBytes(16).toString('hex'), ...values },
  });

  app.get('/complaints/new', async (req, reply) => {
    if (!pageActor(req, reply, 'consumer')) return reply;
    const q = req.query as Record<string, string>;
    return reply.page('complaints/new', formView({ provider: q.provider ?? '' }));
  });

  app.post('/complaints/new', { config: { rateLimit: { max: 20, timeWindow: '1 minute' }, multipart: 'files' } }, async (req, reply) => {
    if (!pageActor(req, reply, 'consumer')) return reply;
    let fields: Record<string, unknown> = {};
    const values = () => ({ ...fields, demands: ([] as unknown[]).concat(fields.demands ?? []) });
    const result = await formAction(reply, 'complaints/new', () => formView(values()), async () => {
      const sent = await readSubmission(req, reply);
      fields = sent.fields;
      const files = sent.files;
      const input = readComplaint(fields, app.clock);
      const key = typeof fields.submissionKey === 'string' && fields.submissionKey ? fields.submissionKey.slice(0, 100) : null;
      return app.complaints.file(req.ctx(), input, files, key);
    });
    if (!result) return reply;
    return reply.redirect(`/complaints/${result.complaint.id}?filed=1`, 303);
  });

  app.get('/complaints/:id', async (req, reply) => {
    const actor = pageActor(req, reply);
    if (!actor) return reply;
    const q = req.query as Record<string, string>;
    const data = complaintPageData(app, req.ctx(), actor, idParam(req), { done: q.done });
    return reply.page('complaints/show', { ...data, justFiled: q.filed === '1', isOwner: actor.role === 'consumer' });
  });

  app.get('/me/complaints', async (req, reply) => {
    if (!pageActor(req, reply, 'consumer')) return reply;
    const items = app.complaints.listMine(req.ctx()).map((r) => toComplaintSummary(r.complaint, r.provider));
    return reply.page('complaints/mine', { title: '我的投诉', items });
  });
}
