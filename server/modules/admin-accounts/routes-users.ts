// Admin: accounts. /admin/users (find by e-mail or name prefix, filter by role, 50 a page newest first),
// /admin/users/:id (what an admin needs to know, never the password hash) with disable, enable and resend-verification
// forms; the JSON twins under /api/v1/admin/users. Thin: the verbs are app.adminUsers'.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Conflict } from '../../lib/errors.ts';
import { pageActor, requireRole } from '../../lib/http.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';
import { doc, IdParams, Loose, NO_BODY, responses, Type, type Static } from '../../lib/schema.ts';
import type { User } from '../accounts/schema.ts';
import type { Provider } from '../providers/schema.ts';
import { Queued, UserDetail, UserList, UsersQuery } from './schemas.ts';
import { toAuditItem, toUserDetail, toUserSummary, ROLE_LABELS } from './view-model.ts';
import type { UserSearch } from './users-service.ts';

const DONE: Record<string, string> = {
  disabled: '已停用该账户，并结束了它的所有登录会话。',
  enabled: '已启用该账户。',
  verification: '已重新发送验证邮件。',
};

export default async function adminUserRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const admin = (summary: string, csrf = false) => doc({ tag: '管理', summary, auth: '管理员', csrf });

  const providerLookup = () => {
    const seen = new Map<number, Provider | undefined>();
    return (u: User) => {
      if (u.providerId === null) return undefined;
      if (!seen.has(u.providerId)) seen.set(u.providerId, app.providers.byId(u.providerId));
      return seen.get(u.providerId);
    };
  };
  const search = (req: FastifyRequest, query: Static<typeof UsersQuery>) => {
    const s: UserSearch = { q: query.q ?? null, role: query.role || null, before: query.before ?? null };
    const { items, nextBefore } = app.adminUsers.search(req.ctx(), s);
    const providerOf = providerLookup();
    return { items: items.map((u) => toUserSummary(u, providerOf(u))), nextBefore, s };
  };
  const detail = (req: FastifyRequest, id: number) => {
    const { user, complaints } = app.adminUsers.detail(req.ctx(), id);
    return toUserDetail(user, user.providerId === null ? undefined : app.providers.byId(user.providerId), complaints);
  };

  app.get(
    '/api/v1/admin/users',
    {
      schema: {
        ...admin('查找用户：邮箱或昵称前缀，按角色筛选；最新注册在前，每页 50 个，用 before 翻页'),
        querystring: UsersQuery,
        response: responses({ 200: UserList }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      const { items, nextBefore } = search(req, req.query);
      return { items, nextBefore };
    },
  );

  app.get(
    '/api/v1/admin/users/:id',
    {
      schema: {
        ...admin('一个用户（角色、机构、验证、停用、两步验证、投诉数；不含密码）'),
        params: IdParams,
        response: responses({ 200: UserDetail }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return detail(req, req.params.id);
    },
  );

  const write = (summary: string) => ({
    config: { ...ADMIN_WRITE_LIMIT, ...NO_BODY },
    schema: {
      ...admin(summary, true),
      params: IdParams,
      response: responses({ 200: UserDetail }, 400, 401, 403, 404, 409, 429),
    },
  });
  app.post(
    '/api/v1/admin/users/:id/disable',
    write('停用账户（结束其所有会话；不能停用自己或最后一个管理员）'),
    async (req) => {
      requireRole(req, 'admin');
      app.adminUsers.disable(req.ctx(), req.params.id);
      return detail(req, req.params.id);
    },
  );
  app.post('/api/v1/admin/users/:id/enable', write('启用账户'), async (req) => {
    requireRole(req, 'admin');
    app.adminUsers.enable(req.ctx(), req.params.id);
    return detail(req, req.params.id);
  });
  app.post(
    '/api/v1/admin/users/:id/resend-verification',
    {
      config: { ...ADMIN_WRITE_LIMIT, ...NO_BODY },
      schema: {
        ...admin('重新发送邮箱验证邮件（7 天有效，旧链接作废）', true),
        params: IdParams,
        response: responses({ 202: Queued }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      app.adminUsers.resendVerification(req.ctx(), req.params.id);
      return reply.code(202).send({ queued: true });
    },
  );

  // Pages.
  app.get('/admin/users', { schema: { querystring: UsersQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const { items, nextBefore, s } = search(req, req.query);
    const next = new URLSearchParams();
    if (s.q) next.set('q', s.q);
    if (s.role) next.set('role', s.role);
    if (nextBefore) next.set('before', String(nextBefore));
    return reply.page('admin/users', {
      title: '用户',
      items,
      q: s.q ?? '',
      role: s.role ?? '',
      roles: Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label, selected: value === s.role })),
      firstHref: req.query.before ? `/admin/users?${new URLSearchParams({ q: s.q ?? '', role: s.role ?? '' })}` : null,
      nextHref: nextBefore ? `/admin/users?${next}` : null,
    });
  });

  const userPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    extra: Record<string, unknown>,
    code = 200,
  ) => {
    const user = detail(req, id);
    const history = app.audit.list({ targetType: 'user', targetId: String(id), limit: 20 });
    const actors = new Map<number, User | undefined>();
    for (const h of history)
      if (h.actorId && !actors.has(h.actorId)) actors.set(h.actorId, app.accounts.get(h.actorId));
    return reply.page(
      'admin/user',
      {
        title: `用户：${user.displayName}`,
        user,
        self: user.id === req.actor!.id,
        history: history.map((h) => toAuditItem(h, h.actorId ? actors.get(h.actorId) : undefined)),
        ...extra,
      },
      code,
    );
  };

  app.get(
    '/admin/users/:id',
    { schema: { params: IdParams, querystring: Type.Object({ done: Loose('结果', 20) }) } },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      return userPage(req, reply, req.params.id, { done: DONE[req.query.done ?? ''] ?? null });
    },
  );

  const action = (path: string, done: string, verb: (req: FastifyRequest, id: number) => void) =>
    app.post(
      `/admin/users/:id/${path}`,
      { config: { ...ADMIN_WRITE_LIMIT, ...NO_BODY }, schema: { params: IdParams } },
      async (req, reply) => {
        if (!pageActor(req, reply, 'admin')) return reply;
        try {
          verb(req, req.params.id);
        } catch (err) {
          // What the state forbids (oneself, the last admin, already verified) is said on the page, not an error page.
          if (err instanceof Conflict) return userPage(req, reply, req.params.id, { failure: err.message }, 409);
          throw err;
        }
        return reply.redirect(`/admin/users/${req.params.id}?done=${done}`, 303);
      },
    );
  action('disable', 'disabled', (req, id) => app.adminUsers.disable(req.ctx(), id));
  action('enable', 'enabled', (req, id) => app.adminUsers.enable(req.ctx(), id));
  action('resend-verification', 'verification', (req, id) => app.adminUsers.resendVerification(req.ctx(), id));
}
