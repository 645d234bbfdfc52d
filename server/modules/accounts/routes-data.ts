// A person's rights over their data: download everything held about the account, and close it. The JSON API and the
// page /me/data share the same verbs (data-export.ts, erase.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Actor } from '../../lib/ctx.ts';
import { Invalid } from '../../lib/errors.ts';
import { body, formAction, pageActor, requireRole } from '../../lib/http.ts';
import { doc, NoContent, responses } from '../../lib/schema.ts';
import { chinaDay } from '../../lib/china-time.ts';
import { accountExporter } from './data-export.ts';
import { accountCloser } from './erase.ts';
import { AccountExportBody, CloseAccountBody, CloseAccountForm } from './schemas-data.ts';

const CLOSE_LIMIT = { rateLimit: { max: 5, timeWindow: '1 minute' } };

export default async function accountDataRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const exporter = accountExporter(app);
  const closer = accountCloser(app);

  const exportOf = (req: FastifyRequest) => exporter.export(req.ctx(), req.sessionId());

  app.get(
    '/api/v1/me/export',
    {
      schema: {
        ...doc({
          tag: '账户',
          summary: '导出本账户的全部数据（资料、投诉及时间线、附件链接、评价、通知、登录会话）',
          auth: '是',
        }),
        response: responses({ 200: AccountExportBody }, 401),
      },
    },
    async (req, reply) => {
      requireRole(req);
      reply.header('Cache-Control', 'private, no-store');
      return exportOf(req);
    },
  );

  app.delete(
    '/api/v1/me',
    {
      config: CLOSE_LIMIT,
      schema: {
        ...doc({
          tag: '账户',
          summary: '注销账户：撤回进行中的投诉，删除个人信息；匿名公开的案例保留',
          auth: '消费者或管理员（机构工作人员由所在机构停用）',
          csrf: true,
        }),
        body: CloseAccountBody,
        response: responses({ 204: NoContent }, 400, 401, 403, 409, 429),
      },
    },
    async (req, reply) => {
      requireRole(req);
      await closer.close(req.ctx(), body(req));
      reply.clearSession();
      return reply.code(204).send();
    },
  );

  // Pages.
  const view = (actor: Actor, extra: Record<string, unknown> = {}) => ({
    title: '我的数据：导出与注销',
    canClose: actor.role !== 'provider_staff',
    isStaffAccount: actor.role === 'provider_staff',
    isConsumerAccount: actor.role === 'consumer',
    values: {},
    ...extra,
  });

  app.get('/me/data', async (req, reply) => {
    const actor = pageActor(req, reply);
    if (!actor) return reply;
    return reply.page('accounts/data', view(actor));
  });

  app.get('/me/data/export.json', async (req, reply) => {
    const actor = pageActor(req, reply);
    if (!actor) return reply;
    const data = exportOf(req);
    return reply
      .type('application/json; charset=utf-8')
      .header('Cache-Control', 'private, no-store')
      .header(
        'Content-Disposition',
        `attachment; filename="wallet-complaints-export-${chinaDay(app.clock.now())}.json"`,
      )
      .send(JSON.stringify(data, null, 2));
  });

  app.post(
    '/me/data/close',
    { config: CLOSE_LIMIT, schema: { body: CloseAccountForm }, attachValidation: true },
    async (req: FastifyRequest, reply: FastifyReply) => {
      const actor = pageActor(req, reply);
      if (!actor) return reply;
      const raw = body(req);
      const closed = await formAction(reply, 'accounts/data', view(actor), async () => {
        if (!raw.confirm) throw new Invalid({ confirm: '请勾选确认你已了解注销的后果' });
        await closer.close(req.ctx(), raw);
        return true;
      });
      if (!closed) return reply;
      reply.clearSession();
      // This answer is already the signed-out one: the header no longer names the account.
      req.actor = null;
      return reply.page('accounts/data', { title: '账户已注销', closed: true });
    },
  );
}
