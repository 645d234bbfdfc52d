// The admins' queue of pending provider names: a page (works without JavaScript) and JSON under
// /api/v1/admin/providers/… to verify, merge or reject. Admin only: anyone else gets 404.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { chinaDay } from '../../lib/china-time.ts';
import { Invalid } from '../../lib/errors.ts';
import { body, formAction, pageActor, requireRole } from '../../lib/http.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';
import { doc, responses, SlugParams, type TSchema } from '../../lib/schema.ts';
import {
  MergeBody,
  Merged,
  PendingList,
  RejectBody,
  Rejected,
  ReviewForm,
  ReviewPageQuery,
  VerifyBody,
  Verified,
} from './schemas-review.ts';
import { readMerge, readReject, readVerify } from './review-input.ts';
import { toPublicProvider } from './view-model.ts';

const ACTIONS = ['verify', 'merge', 'reject'] as const;
type Action = (typeof ACTIONS)[number];
const slugOf = (req: FastifyRequest) => (req.params as { slug: string }).slug;

const API: Record<Action, { summary: string; body: TSchema; ok: TSchema }> = {
  verify: { summary: '核实并收录待审核的机构名称（需联系方式来源与核实日期）', body: VerifyBody, ok: Verified },
  merge: { summary: '把待审核的名称合并到已收录机构（名称成为别名，投诉与统计随之转移）', body: MergeBody, ok: Merged },
  reject: { summary: '驳回待审核的名称（永不公开，投诉仍由平台处理）', body: RejectBody, ok: Rejected },
};

export default async function providerReviewRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const review = app.providerReview;
  const apply = (req: FastifyRequest, action: Action) => {
    const raw = body(req);
    switch (action) {
      case 'verify':
        return { provider: toPublicProvider(review.verify(req.ctx(), slugOf(req), readVerify(raw))) };
      case 'merge': {
        const r = review.merge(req.ctx(), slugOf(req), readMerge(raw));
        return { provider: toPublicProvider(r.provider), moved: r.moved, aliasAdded: r.aliasAdded };
      }
      case 'reject': {
        review.reject(req.ctx(), slugOf(req), readReject(raw));
        return { status: 'rejected' };
      }
    }
  };

  app.get(
    '/api/v1/admin/providers/pending',
    {
      schema: {
        ...doc({ tag: '管理', summary: '待审核的机构名称（名称中的个人信息已隐去）', auth: '管理员' }),
        response: responses({ 200: PendingList }, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return { items: review.queue(req.ctx()) };
    },
  );

  for (const action of ACTIONS) {
    app.post(
      `/api/v1/admin/providers/:slug/${action}`,
      {
        config: ADMIN_WRITE_LIMIT,
        schema: {
          ...doc({ tag: '管理', summary: API[action].summary, auth: '管理员', csrf: true }),
          params: SlugParams,
          body: API[action].body,
          response: responses({ 200: API[action].ok }, 400, 401, 403, 404, 409, 429),
        },
      },
      async (req) => {
        requireRole(req, 'admin');
        return apply(req, action);
      },
    );
  }

  const pageView = (req: FastifyRequest, extra: Record<string, unknown> = {}) => ({
    title: '待审核机构名称',
    items: review.queue(req.ctx()),
    targets: app.providers.list().map((p) => ({ slug: p.slug, name: p.name })),
    today: chinaDay(app.clock.now()),
    ...extra,
  });

  app.get('/admin/providers/pending', { schema: { querystring: ReviewPageQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const done = req.query.done;
    return reply.page('admin/provider-review', pageView(req, { done: ACTIONS.includes(done as Action) ? done : null }));
  });

  app.post(
    '/admin/providers/:slug/review',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: { params: SlugParams, body: ReviewForm },
      attachValidation: true,
    },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      const action = (body(req).action as string) ?? '';
      const ok = await formAction(
        reply,
        'admin/provider-review',
        () => pageView(req, { failedSlug: slugOf(req), values: body(req) }),
        () => {
          if (!ACTIONS.includes(action as Action)) throw new Invalid({ action: '请选择核实、合并或驳回' });
          return apply(req, action as Action);
        },
      );
      if (!ok) return reply;
      return reply.redirect(`/admin/providers/pending?done=${action}`, 303);
    },
  );
}
