// The admins' queue of pending provider names: a page (works without JavaScript) and JSON under
// /api/v1/admin/providers/… to verify, merge or reject. Admin only: anyone else gets 404.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Invalid } from '../../lib/errors.ts';
import { body, formAction, pageActor, requireRole } from '../../lib/http.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';
import { readMerge, readReject, readVerify } from './review-input.ts';
import { toPublicProvider } from './view-model.ts';

const ACTIONS = ['verify', 'merge', 'reject'] as const;
type Action = (typeof ACTIONS)[number];
const slugOf = (req: FastifyRequest) => (req.params as { slug: string }).slug;

export default async function providerReviewRoutes(app: FastifyInstance) {
  const review = app.providerReview;
  const apply = (req: FastifyRequest, action: Action) => {
    const raw = body(req);
    switch (action) {
      case 'verify': return { provider: toPublicProvider(review.verify(req.ctx(), slugOf(req), readVerify(raw))) };
      case 'merge': {
        const r = review.merge(req.ctx(), slugOf(req), readMerge(raw));
        return { provider: toPublicProvider(r.provider), moved: r.moved, aliasAdded: r.aliasAdded };
      }
      case 'reject': { review.reject(req.ctx(), slugOf(req), readReject(raw)); return { status: 'rejected' }; }
    }
  };

  app.get('/api/v1/admin/providers/pending', async (req) => {
    requireRole(req, 'admin');
    return { items: review.queue(req.ctx()) };
  });

  for (const action of ACTIONS) {
    app.post(`/api/v1/admin/providers/:slug/${action}`, { config: ADMIN_WRITE_LIMIT }, async (req) => {
      requireRole(req, 'admin');
      return apply(req, action);
    });
  }

  const pageView = (req: FastifyRequest, extra: Record<string, unknown> = {}) => ({
    title: '待审核机构名称', items: review.queue(req.ctx()),
    targets: app.providers.list().map((p) => ({ slug: p.slug, name: p.name })),
    today: new Date(app.clock.now() + 8 * 3600_000).toISOString().slice(0, 10), ...extra,
  });

  app.get('/admin/providers/pending', async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const done = (req.query as Record<string, string>).done;
    return reply.page('admin/provider-review', pageView(req, { done: ACTIONS.includes(done as Action) ? done : null }));
  });

  app.post('/admin/providers/:slug/review', { config: ADMIN_WRITE_LIMIT }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const action = (body(req).action as string) ?? '';
    const ok = await formAction(reply, 'admin/provider-review', () => pageView(req, { failedSlug: slugOf(req), values: body(req) }), () => {
      if (!ACTIONS.includes(action as Action)) throw new Invalid({ action: '请选择核实、合并或驳回' });
      return apply(req, action as Action);
    });
    if (!ok) return reply;
    return reply.redirect(`/admin/providers/pending?done=${action}`, 303);
  });
}
