// Admin: the list of providers (/admin/providers: find by name or slug, verified or not, staff count) with a form to
// add one; editing is the existing page (/admin/providers/:slug/edit), reviewing consumers' names the review queue.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { body, formAction, pageActor, requireRole } from '../../lib/http.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';
import { doc, responses, Type } from '../../lib/schema.ts';
import { readProviderInput } from '../providers/input.ts';
import type { Provider } from '../providers/schema.ts';
import { NewProviderForm, ProvidersQuery } from './schemas.ts';
import { providerListService, type ProviderListFilter } from './providers-list.ts';
import type { Ctx } from '../../lib/ctx.ts';

const STATUS_LABELS: Record<Provider['status'], string> = {
  listed: '已收录',
  pending: '待审核',
  rejected: '已驳回',
  merged: '已合并',
  reserved: '保留',
};

const ProviderRow = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  status: Type.String(),
  verified: Type.Boolean(),
  hotline: Type.Union([Type.String(), Type.Null()]),
  staff: Type.Integer({ description: '商家账户数' }),
});
const ProviderRows = Type.Object({
  items: Type.Array(ProviderRow),
  nextAfter: Type.Union([Type.Integer(), Type.Null()], { description: '下一页：作为 after 传回' }),
});

export default async function adminProviderListRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const svc = providerListService(app.db);
  const row = (p: Provider & { staff: number }) => ({
    slug: p.slug,
    name: p.name,
    status: p.status,
    verified: p.verified,
    hotline: p.hotline,
    staff: p.staff,
  });

  app.get(
    '/api/v1/admin/providers',
    {
      schema: {
        ...doc({ tag: '管理', summary: '全部机构（任何审核状态），按名称或标识查找，含商家账户数', auth: '管理员' }),
        querystring: ProvidersQuery,
        response: responses({ 200: ProviderRows }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      const { items, nextAfter } = svc.list(req.ctx(), req.query);
      return { items: items.map(row), nextAfter };
    },
  );

  const page = (ctx: Ctx, q: ProviderListFilter) => {
    const { items, nextAfter } = svc.list(ctx, q);
    const next = new URLSearchParams();
    if (q.q) next.set('q', q.q);
    if (q.verified) next.set('verified', q.verified);
    if (nextAfter) next.set('after', String(nextAfter));
    return {
      title: '机构',
      items: items.map((p) => ({ ...row(p), statusLabel: STATUS_LABELS[p.status] })),
      q: q.q ?? '',
      verified: q.verified ?? '',
      nextHref: nextAfter ? `/admin/providers?${next}` : null,
      firstHref: q.after ? '/admin/providers' : null,
      values: {},
    };
  };

  app.get('/admin/providers', { schema: { querystring: ProvidersQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    return reply.page('admin/providers', page(req.ctx(), req.query));
  });

  app.post(
    '/admin/providers',
    { config: ADMIN_WRITE_LIMIT, schema: { body: NewProviderForm }, attachValidation: true },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      const raw = body(req);
      const view = () => ({ ...page(req.ctx(), {}), values: raw, creating: true });
      const created = await formAction(reply, 'admin/providers', view, () => {
        const input = readProviderInput(
          {
            slug: raw.slug,
            name: raw.name,
            hotline: raw.hotline ?? '',
            website: raw.website ?? '',
            // Checked contacts come with where they were found; without a source the provider shows 待核实.
            verified: raw.contactSource ? '1' : '',
            ...(raw.contactSource ? { contactSource: raw.contactSource } : {}),
          },
          true,
        );
        return app.providers.create(req.ctx(), { ...input, slug: input.slug!, name: input.name! });
      });
      if (!created) return reply;
      return reply.redirect(`/admin/providers/${encodeURIComponent(created.slug)}/edit?saved=1`, 303);
    },
  );
}
