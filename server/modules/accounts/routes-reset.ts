// Password reset by e-mail: the JSON API (POST /api/v1/auth/password-reset, …/confirm) and the two pages
// (/forgot-password, /reset-password?token=…), which work without JavaScript. Opening the link (GET) never uses the
// token up: mail scanners fetch links before the person does.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { body, formAction } from '../../lib/http.ts';
import { doc, Loose, NoContent, responses, Type } from '../../lib/schema.ts';
import { passwordResetService, RESET_REQUESTED_MESSAGE } from './reset.ts';

const RequestBody = Type.Object({ email: Type.String({ title: '邮箱', maxLength: 254 }) });
const ConfirmBody = Type.Object({
  token: Type.String({ title: '链接', maxLength: 200, description: '邮件链接中的 token' }),
  password: Type.String({
    title: '新密码',
    maxLength: 128,
    description: '10–128 位；不能是常见密码，不能包含邮箱或名字',
  }),
});
const Accepted = Type.Object({ message: Type.String() });
const ForgotForm = Type.Object({ email: Loose('邮箱', 254) });
const ResetForm = Type.Object({
  token: Loose('链接', 200),
  password: Loose('新密码', 128),
  password2: Loose('确认新密码', 128),
});
const TokenQuery = Type.Object({ token: Loose('链接', 200) });

export default async function passwordResetRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const reset = passwordResetService({
    db: app.db,
    accounts: app.accounts,
    tokens: app.accountTokens,
    mail: app.accountMail,
    publicUrl: app.config.publicUrl,
  });
  // Per IP; per account the service sends at most a few mails an hour, silently.
  const askLimit = { rateLimit: { max: 5, timeWindow: '1 minute' } };
  const confirmLimit = { rateLimit: { max: 10, timeWindow: '1 minute' } };

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: askLimit,
      schema: {
        ...doc({
          tag: '账户',
          summary: '申请重设密码（邮件发送一次性链接，30 分钟内有效）',
          description: '无论该邮箱是否注册，回答都相同。',
          csrf: true,
        }),
        body: RequestBody,
        response: responses({ 202: Accepted }, 400, 403, 429),
      },
    },
    async (req, reply) => {
      reset.request(req.ctx(), body(req));
      return reply.code(202).send({ message: RESET_REQUESTED_MESSAGE });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: confirmLimit,
      schema: {
        ...doc({
          tag: '账户',
          summary: '用邮件中的链接设置新密码',
          description: '成功后该账户的所有会话都会结束；链接过期或已使用：400 TOKEN_INVALID。',
          csrf: true,
        }),
        body: ConfirmBody,
        response: responses({ 204: NoContent }, 400, 403, 429),
      },
    },
    async (req, reply) => {
      await reset.confirm(req.ctx(), body(req));
      return reply.code(204).send();
    },
  );

  // Pages.
  app.get('/forgot-password', async (_req, reply) =>
    reply.page('accounts/forgot-password', { title: '忘记密码', values: {} }),
  );

  app.post(
    '/forgot-password',
    { config: askLimit, schema: { body: ForgotForm }, attachValidation: true },
    async (req, reply) => {
      const raw = body(req);
      const done = await formAction(
        reply,
        'accounts/forgot-password',
        { title: '忘记密码', values: { email: raw.email } },
        async () => {
          reset.request(req.ctx(), raw);
          return true;
        },
      );
      if (!done) return reply;
      return reply.page('accounts/forgot-password', {
        title: '忘记密码',
        sent: true,
        message: RESET_REQUESTED_MESSAGE,
      });
    },
  );

  app.get('/reset-password', { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const token = req.query.token ?? '';
    const live = reset.peek(req.ctx(), token) !== null;
    return reply.page('accounts/reset-password', { title: '设置新密码', live, token }, live ? 200 : 400);
  });

  app.post(
    '/reset-password',
    { config: confirmLimit, schema: { body: ResetForm }, attachValidation: true },
    async (req, reply) => {
      const raw = body(req);
      const done = await formAction(
        reply,
        'accounts/reset-password',
        () => ({ title: '设置新密码', live: reset.peek(req.ctx(), raw.token) !== null, token: raw.token ?? '' }),
        async () => reset.confirm(req.ctx(), raw, { repeatField: 'password2' }),
      );
      if (done === undefined) return reply;
      return reply.redirect('/login?reset=1', 303);
    },
  );
}
