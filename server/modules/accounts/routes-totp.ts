// Two-factor: enrolment at /me/security (and its JSON twin under /api/v1/me/totp) and the second login step
// (/login/totp, /api/v1/auth/login/totp) that starts the session once the code or a recovery code is right.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { body, formAction, pageActor, requireRole, safeNext } from '../../lib/http.ts';
import { doc, NO_BODY, NoContent, responses } from '../../lib/schema.ts';
import type { Role, User } from './schema.ts';
import { UserBody } from './schemas.ts';
import {
  CodeBody,
  CodeForm,
  DisableBody,
  DisableForm,
  RecoveryCodes,
  SecondStepBody,
  SecondStepForm,
  SecurityPageQuery,
  TotpSetup,
  TotpStatus,
} from './schemas-totp.ts';
import { SECURITY_PAGE } from './totp-gate.ts';

type StartSession = (req: FastifyRequest, reply: FastifyReply, user: User) => void;

const publicUser = (u: User) => ({ id: u.id, email: u.email, role: u.role, displayName: u.displayName });
const homeOf = (role: Role) =>
  role === 'provider_staff' ? '/merchant' : role === 'admin' ? '/admin' : '/me/complaints';
const limits = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

/** After the password: the page asking for the code, with the second-step token in a hidden field. */
export function secondStepPage(req: FastifyRequest, reply: FastifyReply, user: User, next: unknown) {
  const token = reply.server.totp.challenge(req.ctx(), user.id);
  return reply.page('accounts/login-totp', {
    title: '两步验证',
    token,
    next: typeof next === 'string' ? next : '',
  });
}

export default async function totpRoutes(fastify: FastifyInstance, opts: { startSession: StartSession }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const totp = app.totp;
  const me = (summary: string, csrf = true) => doc({ tag: '账户', summary, auth: '任何已登录用户', csrf });

  // JSON API.
  app.get(
    '/api/v1/me/totp',
    { schema: { ...me('两步验证的状态', false), response: responses({ 200: TotpStatus }, 401) } },
    async (req) => totp.status(req.ctx(), requireRole(req).id),
  );

  app.post(
    '/api/v1/me/totp/setup',
    {
      config: { ...limits(10), ...NO_BODY },
      schema: {
        ...me('开始设置两步验证：新的密钥与二维码'),
        response: responses({ 200: TotpSetup }, 401, 403, 409, 429),
      },
    },
    async (req) => totp.setup(req.ctx(), requireRole(req).id),
  );

  app.post(
    '/api/v1/me/totp/confirm',
    {
      config: limits(10),
      schema: {
        ...me('用验证码确认设置，启用两步验证；恢复码只在此时返回一次'),
        body: CodeBody,
        response: responses({ 200: RecoveryCodes }, 400, 401, 403, 409, 429),
      },
    },
    async (req) => ({ recoveryCodes: totp.confirm(req.ctx(), requireRole(req).id, req.body.code) }),
  );

  app.post(
    '/api/v1/me/totp/recovery-codes',
    {
      config: limits(10),
      schema: {
        ...me('重新生成恢复码（旧的作废），需要当前验证码'),
        body: CodeBody,
        response: responses({ 200: RecoveryCodes }, 400, 401, 403, 409, 429),
      },
    },
    async (req) => ({ recoveryCodes: totp.regenerateRecoveryCodes(req.ctx(), requireRole(req).id, req.body.code) }),
  );

  app.post(
    '/api/v1/me/totp/disable',
    {
      config: limits(10),
      schema: {
        ...me('停用两步验证，需要密码和当前验证码；平台要求启用时不可停用'),
        body: DisableBody,
        response: responses({ 204: NoContent }, 400, 401, 403, 409, 429),
      },
    },
    async (req, reply) => {
      await totp.disable(req.ctx(), requireRole(req).id, req.body.password, req.body.code);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/auth/login/totp',
    {
      config: limits(10),
      schema: {
        ...doc({ tag: '账户', summary: '登录第二步：验证码或恢复码', csrf: true }),
        body: SecondStepBody,
        response: responses({ 200: UserBody }, 400, 401, 403, 429),
      },
    },
    async (req, reply) => {
      const user = totp.finish(req.ctx(), req.body.mfaToken, req.body, 'mfaToken');
      opts.startSession(req, reply, user);
      return { user: publicUser(user) };
    },
  );

  // Pages.
  const securityView = async (req: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const ctx = req.ctx();
    const id = req.actor!.id;
    const status = totp.status(ctx, id);
    return {
      title: '账户安全',
      status,
      setup: status.pending ? await totp.pendingSetup(ctx, id) : null,
      mustEnrol: status.required && !status.enabled,
      values: {},
      ...extra,
    };
  };

  app.get(SECURITY_PAGE, { schema: { querystring: SecurityPageQuery } }, async (req, reply) => {
    if (!pageActor(req, reply)) return reply;
    return reply.page('accounts/security', await securityView(req, { disabled: req.query.done === 'disabled' }));
  });

  app.post(`${SECURITY_PAGE}/setup`, { config: { ...limits(10), ...NO_BODY } }, async (req, reply) => {
    const actor = pageActor(req, reply);
    if (!actor) return reply;
    const started = await formAction(reply, 'accounts/security', await securityView(req), () =>
      totp.setup(req.ctx(), actor.id),
    );
    return started ? reply.redirect(SECURITY_PAGE, 303) : reply;
  });

  // Shows the recovery codes once, on the answer to the form that made them; a reload does not show them again.
  const codesAction =
    (make: (req: FastifyRequest, userId: number) => string[], notice: string) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const actor = pageActor(req, reply);
      if (!actor) return reply;
      const codes = await formAction(reply, 'accounts/security', await securityView(req), () => make(req, actor.id));
      if (!codes) return reply;
      return reply.page('accounts/security', await securityView(req, { recoveryCodes: codes, notice }));
    };
  const codeForm = { config: limits(10), schema: { body: CodeForm }, attachValidation: true };
  app.post(
    `${SECURITY_PAGE}/confirm`,
    codeForm,
    codesAction((req, id) => totp.confirm(req.ctx(), id, body(req).code), '两步验证已启用。'),
  );
  app.post(
    `${SECURITY_PAGE}/recovery-codes`,
    codeForm,
    codesAction(
      (req, id) => totp.regenerateRecoveryCodes(req.ctx(), id, body(req).code),
      '已生成新的恢复码，旧的已作废。',
    ),
  );

  app.post(
    `${SECURITY_PAGE}/disable`,
    { config: limits(10), schema: { body: DisableForm }, attachValidation: true },
    async (req, reply) => {
      const actor = pageActor(req, reply);
      if (!actor) return reply;
      const raw = body(req);
      const view = await securityView(req, { disableForm: true });
      const done = await formAction(reply, 'accounts/security', view, async () => {
        await totp.disable(req.ctx(), actor.id, raw.password, raw.code);
        return true;
      });
      return done ? reply.redirect(`${SECURITY_PAGE}?done=disabled`, 303) : reply;
    },
  );

  app.post(
    '/login/totp',
    { config: limits(10), schema: { body: SecondStepForm }, attachValidation: true },
    async (req, reply) => {
      const raw = body(req);
      const view = { title: '两步验证', token: raw.token ?? '', next: raw.next ?? '' };
      const user = await formAction(reply, 'accounts/login-totp', view, () => totp.finish(req.ctx(), raw.token, raw));
      if (!user) return reply;
      opts.startSession(req, reply, user);
      return reply.redirect(safeNext(raw.next, homeOf(user.role)), 303);
    },
  );
}
