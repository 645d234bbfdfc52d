// The signed-in person's own settings: the JSON API under /api/v1/me and the page /me/settings with one form per
// section. Thin: the verbs are app.accountSettings'.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { body, formAction, pageActor, requireRole } from '../../lib/http.ts';
import { doc, NO_BODY, NoContent, responses } from '../../lib/schema.ts';
import { NOTIFY_GROUPS, NOTIFY_GROUP_KEYS } from '../notifications/preferences.ts';
import {
  ButtonForm,
  EndedBody,
  NotifyForm,
  PasswordChange,
  PasswordForm,
  ProfileForm,
  SessionList,
  SessionParams,
  SettingsBody,
  SettingsPageQuery,
  SettingsPatch,
} from './schemas-settings.ts';

const WRITE_LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };
/** The current password is checked here: a stolen session must not get unlimited guesses at it. */
const PASSWORD_LIMIT = { rateLimit: { max: 10, timeWindow: '1 minute' } };
const TEMPLATE = 'accounts/settings';

const DONE: Record<string, string> = {
  profile: '昵称已保存。',
  password: '密码已修改，其他设备上的登录已全部退出。',
  notify: '通知设置已保存。',
  sessions: '其他设备上的登录已全部退出。',
  session: '该设备已退出登录。',
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export default async function settingsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const api = (summary: string, csrf = false) => doc({ tag: '账户', summary, auth: '任意已登录用户', csrf });

  app.get(
    '/api/v1/me/settings',
    { schema: { ...api('我的账户设置'), response: responses({ 200: SettingsBody }, 401) } },
    async (req) => {
      requireRole(req);
      return app.accountSettings.get(req.ctx());
    },
  );

  app.patch(
    '/api/v1/me/settings',
    {
      config: WRITE_LIMIT,
      schema: {
        ...api('修改昵称或通知邮件设置（只改给出的字段）', true),
        body: SettingsPatch,
        response: responses({ 200: SettingsBody }, 400, 401, 403, 429),
      },
    },
    async (req) => {
      requireRole(req);
      return app.accountSettings.update(req.ctx(), req.body);
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: PASSWORD_LIMIT,
      schema: {
        ...api('修改密码（其他设备上的登录随之退出）', true),
        body: PasswordChange,
        response: responses({ 204: NoContent }, 400, 401, 403, 429),
      },
    },
    async (req, reply) => {
      requireRole(req);
      await app.accountSettings.changePassword(req.ctx(), body(req), req.sessionId());
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me/sessions',
    { schema: { ...api('我的登录设备（未过期的登录）'), response: responses({ 200: SessionList }, 401) } },
    async (req) => {
      requireRole(req);
      const items = app.accountSettings.sessions(req.ctx(), req.sessionId());
      return { items: items.map((s) => ({ ...s, createdAt: iso(s.createdAt)!, lastSeenAt: iso(s.lastSeenAt) })) };
    },
  );

  app.post(
    '/api/v1/me/sessions/revoke-others',
    {
      config: { ...WRITE_LIMIT, ...NO_BODY },
      schema: {
        ...api('退出其他所有设备', true),
        response: responses({ 200: EndedBody }, 401, 403, 429),
      },
    },
    async (req) => {
      requireRole(req);
      return { ended: app.accountSettings.endOtherSessions(req.ctx(), req.sessionId()) };
    },
  );

  app.delete(
    '/api/v1/me/sessions/:id',
    {
      config: { ...WRITE_LIMIT, ...NO_BODY },
      schema: {
        ...api('退出某一台其他设备', true),
        params: SessionParams,
        response: responses({ 204: NoContent }, 400, 401, 403, 404, 429),
      },
    },
    async (req, reply) => {
      requireRole(req);
      app.accountSettings.endSession(req.ctx(), req.params.id, req.sessionId());
      return reply.code(204).send();
    },
  );

  // The page.
  const pageData = (req: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const ctx = req.ctx();
    const settings = app.accountSettings.get(ctx);
    const sessions = app.accountSettings.sessions(ctx, req.sessionId());
    return {
      title: '账户设置',
      settings,
      notifyGroups: settings.notify
        ? NOTIFY_GROUPS.map((g) => ({ key: g.key, label: g.label, hint: g.hint, on: settings.notify![g.key] }))
        : null,
      sessions,
      hasOtherSessions: sessions.some((s) => !s.current),
      values: { displayName: settings.displayName },
      ...extra,
    };
  };

  app.get('/me/settings', { schema: { querystring: SettingsPageQuery } }, async (req, reply) => {
    if (!pageActor(req, reply)) return reply;
    return reply.page(TEMPLATE, pageData(req, { done: DONE[req.query.done ?? ''] }));
  });

  /** A settings form: re-rendered with the message beside its field, or back to the page with a notice. */
  const settingsForm =
    (done: string, action: (req: FastifyRequest) => unknown, values?: (raw: Record<string, unknown>) => object) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      if (!pageActor(req, reply)) return reply;
      const raw = body(req);
      const view = () => {
        const data = pageData(req);
        return { ...data, values: { ...data.values, ...(values?.(raw) ?? {}) } };
      };
      const ok = await formAction(reply, TEMPLATE, view, async () => {
        await action(req);
        return true;
      });
      if (!ok) return reply;
      return reply.redirect(`/me/settings?done=${done}#${done}`, 303);
    };
  const form = (schema: object, config: object = WRITE_LIMIT) => ({
    config,
    schema: { body: schema },
    attachValidation: true,
  });

  app.post(
    '/me/settings/profile',
    form(ProfileForm),
    settingsForm(
      'profile',
      (req) => app.accountSettings.update(req.ctx(), { displayName: body(req).displayName ?? '' }),
      (raw) => ({ displayName: raw.displayName }),
    ),
  );

  app.post(
    '/me/settings/password',
    form(PasswordForm, PASSWORD_LIMIT),
    settingsForm('password', (req) => app.accountSettings.changePassword(req.ctx(), body(req), req.sessionId())),
  );

  app.post(
    '/me/settings/notifications',
    form(NotifyForm),
    settingsForm('notify', (req) => {
      // A checkbox left unticked is not posted: every group not in the list is off.
      const ticked = [body(req).notify ?? []].flat();
      return app.accountSettings.update(req.ctx(), {
        notify: Object.fromEntries(NOTIFY_GROUP_KEYS.map((k) => [k, ticked.includes(k)])),
      });
    }),
  );

  app.post(
    '/me/sessions/revoke-others',
    form(ButtonForm),
    settingsForm('sessions', (req) => app.accountSettings.endOtherSessions(req.ctx(), req.sessionId())),
  );

  app.post(
    '/me/sessions/:id/end',
    { config: WRITE_LIMIT, schema: { params: SessionParams, body: ButtonForm } },
    settingsForm('session', (req) =>
      app.accountSettings.endSession(req.ctx(), (req.params as { id: string }).id, req.sessionId()),
    ),
  );
}
