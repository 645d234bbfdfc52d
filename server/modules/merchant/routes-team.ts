// /merchant/team: a provider's staff see their own team; its managers invite new members and disable or enable them
// (never themselves). JSON: GET /api/v1/merchant/team, POST /api/v1/merchant/team/invite,
// POST /api/v1/merchant/team/:id/{disable,enable}. Everything is scoped to the actor's own provider (team.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type AppError, Conflict, Forbidden } from '../../lib/errors.ts';
import { body, formAction, pageActor, requireRole } from '../../lib/http.ts';
import { doc, IdParams, Loose, NO_BODY, responses, Type } from '../../lib/schema.ts';
import { Invite, InviteForm, Queued, StaffList, StaffMemberBody } from '../admin-accounts/schemas.ts';
import { readInvite } from '../admin-accounts/staff-service.ts';
import { toStaffMember } from '../admin-accounts/view-model.ts';
import { teamService } from './team.ts';

const TEAM_WRITE_LIMIT = { rateLimit: { max: 60, timeWindow: '1 minute' } };
const DONE: Record<string, string> = {
  invited: '邀请邮件已发出，对方设置密码后即可登录。',
  disabled: '已停用该成员，并结束了其所有登录会话。',
  enabled: '已启用该成员。',
  reinvited: '已重新发送邀请邮件，之前的链接已作废。',
};

export default async function merchantTeamRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const team = teamService(app.teams, app.providers);
  const api = (summary: string, csrf = false) => doc({ tag: '商家', summary, auth: '商家', csrf });

  const listBody = (req: FastifyRequest) => {
    const v = team.view(req.ctx());
    return {
      provider: { slug: v.provider.slug, name: v.provider.name },
      canManage: v.canManage,
      items: v.items.map(toStaffMember),
    };
  };

  app.get(
    '/api/v1/merchant/team',
    {
      schema: {
        ...api('本机构的成员；canManage 表示当前用户是否为团队管理员'),
        response: responses({ 200: StaffList }, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'provider_staff');
      return listBody(req);
    },
  );

  app.post(
    '/api/v1/merchant/team/invite',
    {
      config: TEAM_WRITE_LIMIT,
      schema: {
        ...api('邀请本机构的新成员（团队管理员）：发送设置密码的链接，7 天有效', true),
        body: Invite,
        response: responses({ 201: StaffMemberBody }, 400, 401, 403, 404, 429),
      },
    },
    async (req, reply) => {
      requireRole(req, 'provider_staff');
      const row = await team.invite(req.ctx(), readInvite(body(req)));
      return reply.code(201).send({ user: toStaffMember(row) });
    },
  );

  for (const [path, disabled, summary] of [
    ['disable', true, '停用本机构的成员（团队管理员；不能停用自己）'],
    ['enable', false, '启用本机构的成员（团队管理员）'],
  ] as const) {
    app.post(
      `/api/v1/merchant/team/:id/${path}`,
      {
        config: { ...TEAM_WRITE_LIMIT, ...NO_BODY },
        schema: {
          ...api(summary, true),
          params: IdParams,
          response: responses({ 200: StaffMemberBody }, 400, 401, 403, 404, 409, 429),
        },
      },
      async (req) => {
        requireRole(req, 'provider_staff');
        return { user: toStaffMember(team.setDisabled(req.ctx(), req.params.id, disabled)) };
      },
    );
  }

  app.post(
    '/api/v1/merchant/team/:id/resend-invite',
    {
      config: { ...TEAM_WRITE_LIMIT, ...NO_BODY },
      schema: {
        ...api('重新发送邀请（团队管理员；尚未设置密码的成员，旧链接作废）', true),
        params: IdParams,
        response: responses({ 202: Queued }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (req, reply) => {
      requireRole(req, 'provider_staff');
      team.resendInvite(req.ctx(), req.params.id);
      return reply.code(202).send({ queued: true });
    },
  );

  // Pages.
  const teamPage = (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown>, code = 200) => {
    const v = team.view(req.ctx());
    return reply.page(
      'merchant/team',
      {
        title: '团队成员',
        provider: v.provider,
        canManage: v.canManage,
        items: v.items.map(toStaffMember),
        values: {},
        ...extra,
      },
      code,
    );
  };

  app.get(
    '/merchant/team',
    { schema: { querystring: Type.Object({ done: Loose('结果', 20) }) } },
    async (req, reply) => {
      if (!pageActor(req, reply, 'provider_staff')) return reply;
      return teamPage(req, reply, { done: DONE[req.query.done ?? ''] ?? null });
    },
  );

  /** What a non-manager or the state forbids is said on the page rather than as an error page. */
  const refusal = (err: unknown): AppError | null => (err instanceof Conflict || err instanceof Forbidden ? err : null);

  app.post(
    '/merchant/team/invite',
    { config: TEAM_WRITE_LIMIT, schema: { body: InviteForm }, attachValidation: true },
    async (req, reply) => {
      if (!pageActor(req, reply, 'provider_staff')) return reply;
      const raw = body(req);
      const v = team.view(req.ctx());
      const view = () => ({
        title: '团队成员',
        provider: v.provider,
        canManage: v.canManage,
        items: v.items.map(toStaffMember),
        values: { email: raw.email, displayName: raw.displayName },
      });
      try {
        const ok = await formAction(reply, 'merchant/team', view, () => team.invite(req.ctx(), readInvite(raw)));
        if (!ok) return reply;
      } catch (err) {
        const r = refusal(err);
        if (!r) throw err;
        return teamPage(req, reply, { failure: r.message }, r.statusCode);
      }
      return reply.redirect('/merchant/team?done=invited', 303);
    },
  );

  for (const [path, done, verb] of [
    ['disable', 'disabled', (req: FastifyRequest, id: number) => team.setDisabled(req.ctx(), id, true)],
    ['enable', 'enabled', (req: FastifyRequest, id: number) => team.setDisabled(req.ctx(), id, false)],
    ['resend-invite', 'reinvited', (req: FastifyRequest, id: number) => team.resendInvite(req.ctx(), id)],
  ] as const) {
    app.post(
      `/merchant/team/:id/${path}`,
      { config: { ...TEAM_WRITE_LIMIT, ...NO_BODY }, schema: { params: IdParams } },
      async (req, reply) => {
        if (!pageActor(req, reply, 'provider_staff')) return reply;
        try {
          verb(req, req.params.id);
        } catch (err) {
          const r = refusal(err);
          if (!r) throw err;
          return teamPage(req, reply, { failure: r.message }, r.statusCode);
        }
        return reply.redirect(`/merchant/team?done=${done}`, 303);
      },
    );
  }
}
