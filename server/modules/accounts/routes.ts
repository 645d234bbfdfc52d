// Register, log in and out: the JSON API and the pages share the same verbs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { body, formAction, safeNext } from '../../lib/http.ts';
import { readRegistration } from './service.ts';
import type { User } from './schema.ts';
import { LOGOUT_LIMIT } from '../../lib/rate-limits.ts';

const publicUser = (u: User) => ({ id: u.id, email: u.email, role: u.role, displayName: u.displayName });

export default async function accountRoutes(app: FastifyInstance) {
  const limits = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

  const startSession = (req: FastifyRequest, reply: FastifyReply, user: User) => {
    const old = req.cookies.sid ? req.unsignCookie(req.cookies.sid) : null;
    if (old?.valid && old.value) app.accounts.endSession(old.value);
    reply.setSession(app.accounts.startSession(req.ctx(), user.id));
  };

  app.get('/api/v1/auth/csrf', async (_req, reply) => ({ token: reply.generateCsrf() }));

  app.get('/api/v1/auth/me', async (req) => ({ user: req.actor ? { id: req.actor.id, email: req.actor.email, role: req.actor.role, displayName: req.actor.displayName } : null }));

  app.post('/api/v1/auth/register', { config: limits(10) }, async (req, reply) => {
    const user = await app.accounts.register(req.ctx(), readRegistration(body(req)));
    startSession(req, reply, user);
    return reply.code(201).send({ user: publicUser(user) });
  });

  app.post('/api/v1/auth/login', { config: limits(10) }, async (req, reply) => {
    const user = await app.accounts.login(req.ctx(), body(req));
    startSession(req, reply, user);
    return { user: publicUser(user) };
  });

  app.post('/api/v1/auth/logout', { config: LOGOUT_LIMIT }, async (req, reply) => {
    const sid = req.cookies.sid ? req.unsignCookie(req.cookies.sid) : null;
    if (sid?.valid && sid.value) app.accounts.endSession(sid.value);
    reply.clearSession();
    return reply.code(204).send();
  });

  // Pages.
  const loginPage = (variant: 'consumer' | 'merchant') => async (req: FastifyRequest, reply: FastifyReply) => {
    const q = req.query as Record<string, string>;
    return reply.page('accounts/login', { title: variant === 'merchant' ? '商家登录' : '登录', merchant: variant === 'merchant', next: q.next ?? '', values: {} });
  };
  app.get('/login', loginPage('consumer'));
  app.get('/merchant/login', loginPage('merchant'));

  const loginAction = (variant: 'consumer' | 'merchant') => async (req: FastifyRequest, reply: FastifyReply) => {
    const raw = body(req);
    const view = { title: variant === 'merchant' ? '商家登录' : '登录', merchant: variant === 'merchant', next: raw.next ?? '', values: { email: raw.email } };
    const user = await formAction(reply, 'accounts/login', view, () => app.accounts.login(req.ctx(), raw));
    if (!user) return reply;
    startSession(req, reply, user);
    const home = user.role === 'provider_staff' ? '/merchant' : user.role === 'admin' ? '/admin' : '/me/complaints';
    return reply.redirect(safeNext(raw.next, home), 303);
  };
  app.post('/login', { config: limits(10) }, loginAction('consumer'));
  app.post('/merchant/login', { config: limits(10) }, loginAction('merchant'));

  app.get('/register', async (req, reply) => reply.page('accounts/register', { title: '注册', next: (req.query as Record<string, string>).next ?? '', values: {} }));

  app.post('/register', { config: limits(10) }, async (req, reply) => {
    const raw = body(req);
    const view = { title: '注册', next: raw.next ?? '', values: { email: raw.email, displayName: raw.displayName, realName: raw.realName } };
    const user = await formAction(reply, 'accounts/register', view, async () => app.accounts.register(req.ctx(), readRegistration(raw)));
    if (!user) return reply;
    startSession(req, reply, user);
    return reply.redirect(safeNext(raw.next, '/complaints/new'), 303);
  });

  app.post('/logout', { config: LOGOUT_LIMIT }, async (req, reply) => {
    const sid = req.cookies.sid ? req.unsignCookie(req.cookies.sid) : null;
    if (sid?.valid && sid.value) app.accounts.endSession(sid.value);
    reply.clearSession();
    return reply.redirect('/', 303);
  });
}
