// The provider directory's API: the public list, and the admin's API to add, correct and staff providers. The pages
// (`/providers`, `/providers/:slug`) carry scorecard figures and are the board's (board/routes-pages.ts).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireRole } from '../../lib/http.ts';
import { doc, responses, SlugParams } from '../../lib/schema.ts';
import { readRegistration } from '../accounts/service.ts';
import { readProviderInput } from './input.ts';
import {
  NewProvider,
  NewStaff,
  ProviderList,
  ProviderPatch,
  PublicProvider,
  StaffCreated,
  SuggestList,
  SuggestQuery,
} from './schemas.ts';
import { toPublicProvider } from './view-model.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';
import { Fields } from '../../lib/validate.ts';
import { NAME_MAX } from './states.ts';
import { userSnapshot } from '../admin-accounts/snapshots.ts';

export default async function providerRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const admin = (summary: string) => doc({ tag: '管理', summary, auth: '管理员', csrf: true });
  const reads = { rateLimit: { max: 600, timeWindow: '1 minute' } };

  app.get(
    '/api/v1/providers',
    {
      config: reads,
      schema: {
        ...doc({ tag: '机构', summary: '机构名录（已收录的机构；待审核的名称不公开）' }),
        response: responses({ 200: ProviderList }, 429),
      },
    },
    async () => ({ items: app.providers.list().map(toPublicProvider) }),
  );

  // The complaint form asks as the consumer types: only listed providers are ever named (suggest.ts).
  app.get(
    '/api/v1/providers/suggest',
    {
      config: reads,
      schema: {
        ...doc({
          tag: '机构',
          summary: '按别名、拼音、首字母与相近写法推荐已收录机构（支付保 → 支付宝）',
          description: '只推荐已收录的机构；消费者填写的新名称在平台审核前不会出现。',
        }),
        querystring: SuggestQuery,
        response: responses({ 200: SuggestList }, 400, 429),
      },
    },
    async (req) => {
      const f = new Fields(req.query);
      const q = f.string('q', '机构名称', { required: true, max: NAME_MAX });
      f.done();
      return { items: app.providerSuggester.suggest(q!) };
    },
  );

  app.get(
    '/api/v1/providers/:slug',
    {
      config: reads,
      schema: {
        ...doc({ tag: '机构', summary: '一个机构' }),
        params: SlugParams,
        response: responses({ 200: PublicProvider }, 400, 404, 429),
      },
    },
    async (req) => toPublicProvider(app.providers.getListed(req.params.slug)),
  );

  app.post(
    '/api/v1/admin/providers',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: {
        ...admin('新增机构'),
        body: NewProvider,
        response: responses({ 201: PublicProvider }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      const input = readProviderInput(req.body, true);
      const p = app.providers.create(req.ctx(), { ...input, slug: input.slug!, name: input.name! });
      return reply.code(201).send(toPublicProvider(p));
    },
  );

  app.patch(
    '/api/v1/admin/providers/:slug',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: {
        ...admin('修改机构（联系方式需注明来源）'),
        params: SlugParams,
        body: ProviderPatch,
        response: responses({ 200: PublicProvider }, 400, 401, 403, 404, 429),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return toPublicProvider(app.providers.update(req.ctx(), req.params.slug, readProviderInput(req.body, false)));
    },
  );

  app.post(
    '/api/v1/admin/providers/:slug/staff',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: {
        ...admin('为机构创建商家账户'),
        params: SlugParams,
        body: NewStaff,
        response: responses({ 201: StaffCreated }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      const provider = app.providers.get(req.params.slug);
      const user = await app.accounts.createStaff(req.ctx(), provider.id, readRegistration(req.body));
      app.audit.record(req.ctx(), {
        action: 'staff.create',
        targetType: 'user',
        targetId: user.id,
        before: null,
        after: userSnapshot(user),
      });
      return reply.code(201).send({
        user: {
          id: user.id,
          email: user.email,
          role: user.role,
          displayName: user.displayName,
          provider: provider.slug,
        },
      });
    },
  );
}
