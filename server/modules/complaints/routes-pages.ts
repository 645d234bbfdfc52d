// Complaint pages for consumers: the complaint page and the list of one's own complaints (the form: routes-filing.ts).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pageActor } from '../../lib/http.ts';
import { IdParams } from '../../lib/schema.ts';
import { toComplaintSummary } from './view-model.ts';
import { complaintPageData } from './page-view.ts';
import { ComplaintPageQuery, pageId } from './schemas.ts';

export default async function complaintPageRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
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
