// Admin: each provider's team. /admin/providers/:slug/staff lists it with invite, disable/enable and manager forms;
// the JSON twins are /api/v1/admin/providers/:slug/staff[/invite] and /api/v1/admin/staff/:id/{disable,enable,manager}.
// The older POST /api/v1/admin/providers/:slug/staff (with a password) stays in providers/routes.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Conflict } from '../../lib/errors.ts';
import { body, formAction, pageActor, requireRole } from '../../lib/http.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';
import { doc, IdParams, Loose, NO_BODY, responses, SlugParams, Type } from '../../lib/schema.ts';
import type { Provider } from '../providers/schema.ts';
import { Invite, InviteForm, ManagerBody, ManagerForm, Queued, StaffList, StaffMemberBody } from './schemas.ts';
import { readInvite } from './staff-service.ts';
import { toStaffMember } from './view-model.ts';

const SlugIdParams = Type.Object({ ...SlugParams.properties, ...IdParams.properties });
const DONE: Record<string, string> = {
  invited: '邀请邮件已发出，对方设置密码后即可登录。',
  disabled: '已停用该成员，并结束了其所有登录会话。',
  enabled: '已启用该成员。',
  manager: '已更新团队管理员。',
  reinvited: '已重新发送邀请邮件，之前的链接已作废。',
};

export default async function adminStaffRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const admin = (summary: string, csrf = false) => doc({ tag: '管理', summary, auth: '管理员', csrf });
  const member = (req: FastifyRequest, providerId: number, id: number) => ({
    user: toStaffMember(app.teams.get(req.ctx(), providerId, id)),
  });

  app.get(
    '/api/v1/admin/providers/:slug/staff',
    {
      schema: {
        ...admin('机构的成员（商家账户）'),
        params: SlugParams,
        response: responses({ 200: StaffList }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      const p = app.providers.get(req.params.slug);
      return {
        provider: { slug: p.slug, name: p.name },
        canManage: true,
        items: app.teams.list(req.ctx(), p.id).map(toStaffMember),
      };
    },
  );

  app.post(
    '/api/v1/admin/providers/:slug/staff/invite',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: {
        ...admin('邀请机构成员：创建商家账户并发送设置密码的链接（7 天有效）', true),
        params: SlugParams,
        body: Invite,
        response: responses({ 201: StaffMemberBody }, 400, 401, 403, 404, 429),
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      const p = app.providers.get(req.params.slug);
      const u = await app.teams.invite(req.ctx(), p, readInvite(body(req)));
      return reply.code(201).send(member(req, p.id, u.id));
    },
  );

  const byId = (summary: string, set: (req: FastifyRequest, providerId: number, id: number) => void) => ({
    summary,
    handler: async (req: FastifyRequest<{ Params: { id: number } }>) => {
      requireRole(req, 'admin');
      const providerId = app.teams.providerOfStaff(req.ctx(), req.params.id);
      set(req, providerId, req.params.id);
      return member(req, providerId, req.params.id);
    },
  });
  const staffWrite = (summary: string, withBody: boolean) => ({
    config: withBody ? ADMIN_WRITE_LIMIT : { ...ADMIN_WRITE_LIMIT, ...NO_BODY },
    schema: {
      ...admin(summary, true),
      params: IdParams,
      ...(withBody ? { body: ManagerBody } : {}),
      response: responses({ 200: StaffMemberBody }, 400, 401, 403, 404, 409, 429),
    },
  });
  for (const [path, r] of [
    ['disable', byId('停用机构成员（结束其所有会话）', (req, p, id) => app.teams.setDisabled(req.ctx(), p, id, true))],
    ['enable', byId('启用机构成员', (req, p, id) => app.teams.setDisabled(req.ctx(), p, id, false))],
  ] as const) {
    app.post(`/api/v1/admin/staff/:id/${path}`, staffWrite(r.summary, false), r.handler);
  }
  app.post(
    '/api/v1/admin/staff/:id/resend-invite',
    {
      config: { ...ADMIN_WRITE_LIMIT, ...NO_BODY },
      schema: {
        ...admin('重新发送邀请（尚未设置密码的成员；旧链接作废）', true),
        params: IdParams,
        response: responses({ 202: Queued }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (req, reply) => {
      requireRole(req, 'admin');
      const provider = app.providers.byId(app.teams.providerOfStaff(req.ctx(), req.params.id))!;
      app.teams.resendInvite(req.ctx(), provider, req.params.id);
      return reply.code(202).send({ queued: true });
    },
  );
  const manager = byId('设为或取消团队管理员（可邀请、停用本机构成员）', (req, p, id) =>
    app.teams.setManager(req.ctx(), p, id, (req.body as { manager: boolean }).manager),
  );
  app.post('/api/v1/admin/staff/:id/manager', staffWrite(manager.summary, true), manager.handler);

  // Pages.
  const staffPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    p: Provider,
    extra: Record<string, unknown>,
    code = 200,
  ) =>
    reply.page(
      'admin/staff',
      {
        title: `机构成员：${p.name}`,
        provider: p,
        teamBase: `/admin/providers/${p.slug}/staff`,
        items: app.teams.list(req.ctx(), p.id).map(toStaffMember),
        values: {},
        ...extra,
      },
      code,
    );

  app.get(
    '/admin/providers/:slug/staff',
    { schema: { params: SlugParams, querystring: Type.Object({ done: Loose('结果', 20) }) } },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      return staffPage(req, reply, app.providers.get(req.params.slug), { done: DONE[req.query.done ?? ''] ?? null });
    },
  );

  app.post(
    '/admin/providers/:slug/staff/invite',
    { config: ADMIN_WRITE_LIMIT, schema: { params: SlugParams, body: InviteForm }, attachValidation: true },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      if (req.validationError?.validationContext === 'params') throw req.validationError;
      const p = app.providers.get(req.params.slug);
      const raw = body(req);
      const view = () => ({
        title: `机构成员：${p.name}`,
        provider: p,
        teamBase: `/admin/providers/${p.slug}/staff`,
        items: app.teams.list(req.ctx(), p.id).map(toStaffMember),
        values: {
          email: raw.email,
          displayName: raw.displayName,
          manager: raw.manager === 'on' || raw.manager === '1',
        },
      });
      const ok = await formAction(reply, 'admin/staff', view, () => app.teams.invite(req.ctx(), p, readInvite(raw)));
      if (!ok) return reply;
      return reply.redirect(`/admin/providers/${encodeURIComponent(p.slug)}/staff?done=invited`, 303);
    },
  );

  const pageAction = (
    path: string,
    done: string,
    withBody: boolean,
    verb: (req: FastifyRequest, p: Provider) => void,
  ) =>
    app.post(
      `/admin/providers/:slug/staff/:id/${path}`,
      withBody
        ? { config: ADMIN_WRITE_LIMIT, schema: { params: SlugIdParams, body: ManagerForm } }
        : { config: { ...ADMIN_WRITE_LIMIT, ...NO_BODY }, schema: { params: SlugIdParams } },
      async (req, reply) => {
        if (!pageActor(req, reply, 'admin')) return reply;
        const p = app.providers.get(req.params.slug);
        try {
          verb(req, p);
        } catch (err) {
          if (err instanceof Conflict) return staffPage(req, reply, p, { failure: err.message }, 409);
          throw err;
        }
        return reply.redirect(`/admin/providers/${encodeURIComponent(p.slug)}/staff?done=${done}`, 303);
      },
    );
  const idOf = (req: FastifyRequest) => (req.params as { id: number }).id;
  pageAction('disable', 'disabled', false, (req, p) => app.teams.setDisabled(req.ctx(), p.id, idOf(req), true));
  pageAction('enable', 'enabled', false, (req, p) => app.teams.setDisabled(req.ctx(), p.id, idOf(req), false));
  pageAction('resend-invite', 'reinvited', false, (req, p) => app.teams.resendInvite(req.ctx(), p, idOf(req)));
  pageAction('manager', 'manager', true, (req, p) =>
    app.teams.setManager(req.ctx(), p.id, idOf(req), (req.body as { manager?: string }).manager === '1'),
  );
}
