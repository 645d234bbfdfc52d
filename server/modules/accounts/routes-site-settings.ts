// Site settings an admin changes at run time (/admin/settings and /api/v1/admin/settings): for now, whether admins and
// providers' staff must use two-factor. Every change is written to the audit log with the value before and after.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { body, pageActor, requireRole } from '../../lib/http.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';
import { doc, responses } from '../../lib/schema.ts';
import { Settings, SettingsForm, SettingsPageQuery, SettingsPatch } from './schemas-totp.ts';
import type { SettingKey } from './site-settings.ts';

const KEYS = ['requireTotpForAdmins', 'requireTotpForStaff'] as const satisfies readonly SettingKey[];
type Values = Record<(typeof KEYS)[number], boolean>;

export default async function siteSettingsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const admin = (summary: string, csrf = false) => doc({ tag: '管理', summary, auth: '管理员', csrf });

  const current = (): Values => ({
    requireTotpForAdmins: app.siteSettings.get('requireTotpForAdmins'),
    requireTotpForStaff: app.siteSettings.get('requireTotpForStaff'),
  });

  /** Writes the changed values and one audit entry for each, in one transaction; answers the settings after. */
  const update = (ctx: Ctx, patch: Partial<Values>): Values => {
    app.db.transaction((tx) => {
      const before = current();
      for (const key of KEYS) {
        const value = patch[key];
        if (value === undefined || value === before[key]) continue;
        app.siteSettings.set({ ...ctx, tx }, key, value);
        app.audit.record(
          { ...ctx, tx },
          {
            action: 'setting.update',
            targetType: 'setting',
            targetId: key,
            before: { [key]: before[key] },
            after: { [key]: value },
          },
        );
      }
    });
    return current();
  };

  app.get(
    '/api/v1/admin/settings',
    { schema: { ...admin('站点设置'), response: responses({ 200: Settings }, 401, 404) } },
    async (req) => {
      requireRole(req, 'admin');
      return current();
    },
  );

  app.patch(
    '/api/v1/admin/settings',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: {
        ...admin('修改站点设置（写入审计日志）', true),
        body: SettingsPatch,
        response: responses({ 200: Settings }, 400, 401, 403, 404, 429),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return update(req.ctx(), req.body);
    },
  );

  app.get('/admin/settings', { schema: { querystring: SettingsPageQuery } }, async (req, reply) => {
    const actor = pageActor(req, reply, 'admin');
    if (!actor) return reply;
    const values = current();
    return reply.page('admin/settings', {
      title: '站点设置',
      values,
      saved: req.query.saved === '1',
      // Requiring two-factor of admins while this one has none sends them to enrol first: say so beside the box.
      selfWithoutTotp: !actor.hasTotp,
    });
  });

  app.post('/admin/settings', { config: ADMIN_WRITE_LIMIT, schema: { body: SettingsForm } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const raw = body(req);
    // An unticked box is not posted: the form always says both.
    const on = (v: unknown) => v === 'on' || v === '1' || v === 'true';
    update(req.ctx(), {
      requireTotpForAdmins: on(raw.requireTotpForAdmins),
      requireTotpForStaff: on(raw.requireTotpForStaff),
    });
    return reply.redirect('/admin/settings?saved=1', 303);
  });
}
