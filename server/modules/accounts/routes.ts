// Register, log in and out: the JSON API and the pages share the same verbs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Invalid } from '../../lib/errors.ts';
import { body, formAction, safeNext } from '../../lib/http.ts';
import { readRegistration } from './service.ts';
import type { User } from './schema.ts';
import { LOGOUT_LIMIT } from '../../lib/rate-limits.ts';
import {
  Credentials,
  LoginForm,
  LoginPageQuery,
  MeResponse,
  Registration,
  RegistrationForm,
  UserBody,
} from './schemas.ts';
import { doc, NO_BODY, NoContent, responses, Type } from '../../lib/schema.ts';
import { beginSession, sharedLoginLimit } from './login-guard.ts';
import totpRoutes, { secondStepPage } from './routes-totp.ts';
import siteSettingsRoutes from './routes-site-settings.ts';
import { LoginAnswer } from './schemas-totp.ts';

const publicUser = (u: User) => ({ id: u.id, email: u.email, role: u.role, displayName: u.displayName });

export default async function accountRoutes(fastify: FastifyInstance) {
  // Typed from the schemas: req.body, req.query and req.params need no casts.
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const limits = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

  const startSession = (req: FastifyRequest, reply: FastifyReply, user: User) =>
    beginSession(fastify, req, reply, user);
  // One bucket per IP across the three login forms (login-guard.ts), on top of each route's own limit.
  const loginBucket = sharedLoginLimit(fastify);

  const api = (tag: string, summary: string, extra: { csrf?: boolean; auth?: string } = {}) =>
    doc({ tag, summary, ...extra });

  app.get(
    '/api/v1/auth/csrf',
    {
      schema: {
        ...api('账户', '取得 CSRF 令牌（并设置与之绑定的 Cookie）'),
        response: responses({ 200: Type.Object({ token: Type.String() }) }),
      },
    },
    async (_req, reply) => ({ token: reply.generateCsrf() }),
  );

  app.get(
    '/api/v1/auth/me',
    { schema: { ...api('账户', '当前登录的用户（未登录为 null）'), response: responses({ 200: MeResponse }) } },
    async (req) => ({
      user: req.actor
        ? { id: req.actor.id, email: req.actor.email, role: req.actor.role, displayName: req.actor.displayName }
        : null,
    }),
  );

  app.post(
    '/api/v1/auth/register',
    {
      config: limits(10),
      schema: {
        ...api('账户', '注册消费者账户并登录', { csrf: true }),
        body: Registration,
        response: responses({ 201: UserBody }, 400, 403, 429),
      },
    },
    async (req, reply) => {
      const user = await app.accounts.register(req.ctx(), readRegistration(body(req)));
      app.verification.sendAfterRegistration(req.ctx(), user);
      startSession(req, reply, user);
      return reply.code(201).send({ user: publicUser(user) });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: limits(10),
      onRequest: loginBucket,
      schema: {
        ...api('账户', '登录', { csrf: true }),
        body: Credentials,
        response: responses({ 200: LoginAnswer }, 400, 401, 403, 429),
      },
    },
    async (req, reply) => {
      const user = await app.accounts.login(req.ctx(), body(req));
      // Two-factor on: no session yet, only a token for the second step (/api/v1/auth/login/totp).
      if (user.totpSecret) return { mfaRequired: true as const, mfaToken: app.totp.challenge(req.ctx(), user.id) };
      startSession(req, reply, user);
      return { user: publicUser(user) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { ...LOGOUT_LIMIT, ...NO_BODY },
      schema: { ...api('账户', '退出登录', { csrf: true }), response: responses({ 204: NoContent }, 403, 429) },
    },
    async (req, reply) => {
      const sid = req.cookies.sid ? req.unsignCookie(req.cookies.sid) : null;
      if (sid?.valid && sid.value) app.accounts.endSession(sid.value);
      reply.clearSession();
      return reply.code(204).send();
    },
  );

  // Pages.
  const loginPage = (variant: 'consumer' | 'merchant') => async (req: FastifyRequest, reply: FastifyReply) => {
    const q = req.query as { next?: string; reset?: string };
    return reply.page('accounts/login', {
      title: variant === 'merchant' ? '商家登录' : '登录',
      merchant: variant === 'merchant',
      next: q.next ?? '',
      // Sent here by 我要投诉 while logged out: say why an account is needed, and how to get one.
      filing: (q.next ?? '').startsWith('/complaints/new'),
      reset: q.reset === '1',
      values: {},
    });
  };
  const pageQuery = { schema: { querystring: LoginPageQuery } };
  app.get('/login', pageQuery, loginPage('consumer'));
  app.get('/merchant/login', pageQuery, loginPage('merchant'));

  const loginAction = (variant: 'consumer' | 'merchant') => async (req: FastifyRequest, reply: FastifyReply) => {
    const raw = body(req);
    const view = {
      title: variant === 'merchant' ? '商家登录' : '登录',
      merchant: variant === 'merchant',
      next: raw.next ?? '',
      values: { email: raw.email },
    };
    const user = await formAction(reply, 'accounts/login', view, async () => {
      const u = await app.accounts.login(req.ctx(), raw);
      // The merchant entrance is for providers' staff: a consumer is told where to log in, not silently let through.
      if (variant === 'merchant' && u.role === 'consumer') {
        throw new Invalid(
          { email: '这是机构工作人员的登录入口。你的账号是消费者账号，请从消费者登录入口登录。' },
          'WRONG_ENTRANCE',
        );
      }
      return u;
    });
    if (!user) return reply;
    if (user.totpSecret) return secondStepPage(req, reply, user, raw.next);
    startSession(req, reply, user);
    const home = user.role === 'provider_staff' ? '/merchant' : user.role === 'admin' ? '/admin' : '/me/complaints';
    return reply.redirect(safeNext(raw.next, home), 303);
  };
  const loginForm = { config: limits(10), onRequest: loginBucket, schema: { body: LoginForm }, attachValidation: true };
  app.post('/login', loginForm, loginAction('consumer'));
  app.post('/merchant/login', loginForm, loginAction('merchant'));

  app.get('/register', pageQuery, async (req, reply) =>
    reply.page('accounts/register', { title: '注册', next: req.query.next ?? '', values: {} }),
  );

  app.post(
    '/register',
    { config: limits(10), schema: { body: RegistrationForm }, attachValidation: true },
    async (req, reply) => {
      const raw = body(req);
      const view = {
        title: '注册',
        next: raw.next ?? '',
        values: { email: raw.email, displayName: raw.displayName, realName: raw.realName },
      };
      const user = await formAction(reply, 'accounts/register', view, async () =>
        app.accounts.register(req.ctx(), readRegistration(raw)),
      );
      if (!user) return reply;
      app.verification.sendAfterRegistration(req.ctx(), user);
      startSession(req, reply, user);
      return reply.redirect(safeNext(raw.next, '/complaints/new'), 303);
    },
  );

  await app.register(totpRoutes, { startSession });
  await app.register(siteSettingsRoutes);

  app.post('/logout', { config: { ...LOGOUT_LIMIT, ...NO_BODY } }, async (req, reply) => {
    const sid = req.cookies.sid ? req.unsignCookie(req.cookies.sid) : null;
    if (sid?.valid && sid.value) app.accounts.endSession(sid.value);
    reply.clearSession();
    return reply.redirect('/', 303);
  });
}
