// E-mail verification: the JSON API and the pages. Opening the mailed link only shows a confirm button: mail scanners
// fetch links, and a GET must not change anything. The button works signed out too (the link is the proof).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, Invalid } from '../../lib/errors.ts';
import { body, requireRole, safeNext } from '../../lib/http.ts';
import { doc, NO_BODY, NoContent, responses } from '../../lib/schema.ts';
import { ResendForm, VerifyForm, VerifyPageQuery, VerifyToken } from './schemas-settings.ts';

/** Per address: a page of buttons is no way to send someone a hundred mails (the account's own limit is in the service). */
const RESEND_LIMIT = { rateLimit: { max: 10, timeWindow: '1 hour' } };
const CONFIRM_LIMIT = { rateLimit: { max: 20, timeWindow: '1 minute' } };
const TEMPLATE = 'accounts/verify-email';

export default async function verifyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/auth/verify-email',
    {
      config: CONFIRM_LIMIT,
      schema: {
        ...doc({ tag: '账户', summary: '用邮件中的链接验证邮箱', csrf: true }),
        body: VerifyToken,
        response: responses({ 204: NoContent }, 400, 403, 429),
      },
    },
    async (req, reply) => {
      app.verification.confirm(req.ctx(), req.body.token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/auth/verify-email/resend',
    {
      config: { ...RESEND_LIMIT, ...NO_BODY },
      schema: {
        ...doc({
          tag: '账户',
          summary: '重新发送验证邮件',
          description: '每个账户每小时最多 3 封（含注册时的一封），之前的链接随之失效。',
          auth: '任意已登录用户',
          csrf: true,
        }),
        response: responses({ 204: NoContent }, 401, 403, 409, 429),
      },
    },
    async (req, reply) => {
      requireRole(req);
      app.verification.resend(req.ctx());
      return reply.code(204).send();
    },
  );

  // Pages.
  app.get('/verify-email', { schema: { querystring: VerifyPageQuery } }, async (req, reply) => {
    const account = app.verification.peek(req.ctx(), req.query.token);
    return reply.page(TEMPLATE, {
      title: '验证邮箱',
      state: account ? 'confirm' : 'invalid',
      token: account ? req.query.token : '',
      email: account?.email,
      // The banner's resend would kill the very link being confirmed here.
      hideVerifyBanner: account !== null,
      alreadyVerified: req.actor?.emailVerified === true,
    });
  });

  app.post(
    '/verify-email',
    { config: CONFIRM_LIMIT, schema: { body: VerifyForm }, attachValidation: true },
    async (req, reply) => {
      try {
        if (req.validationError) throw new Invalid({ token: '链接无效或已过期，请重新申请' }, 'TOKEN_INVALID');
        const userId = app.verification.confirm(req.ctx(), body(req).token);
        // The banner reads the actor loaded before this request: it is stale now, so the page hides it.
        return reply.page(TEMPLATE, {
          title: '邮箱已验证',
          state: 'done',
          signedInAsOwner: req.actor?.id === userId,
          hideVerifyBanner: true,
        });
      } catch (err) {
        if (!(err instanceof Invalid)) throw err;
        return reply.page(TEMPLATE, { title: '验证邮箱', state: 'invalid', error: err.message }, 400);
      }
    },
  );

  app.post(
    '/verify-email/resend',
    { config: RESEND_LIMIT, schema: { body: ResendForm }, attachValidation: true },
    async (req, reply) => {
      // Signed out (the session ended meanwhile): back to the settings page after login, not to this POST.
      if (!req.actor) return reply.redirect(`/login?next=${encodeURIComponent('/me/settings')}`, 303);
      const actor = req.actor;
      const next = safeNext(body(req).next, '/me/settings');
      try {
        app.verification.resend(req.ctx());
        return reply.page(TEMPLATE, {
          title: '验证邮件已发送',
          state: 'sent',
          email: actor.email,
          next,
          hideVerifyBanner: true,
        });
      } catch (err) {
        if (!(err instanceof AppError) || ![409, 429].includes(err.statusCode)) throw err;
        return reply.page(
          TEMPLATE,
          {
            title: '验证邮箱',
            state: err.statusCode === 409 ? 'verified' : 'limited',
            error: err.message,
            next,
            hideVerifyBanner: true,
          },
          err.statusCode,
        );
      }
    },
  );
}
