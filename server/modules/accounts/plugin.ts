// App plugin: the account service, who each request's session belongs to (req.actor), and the admin from
// ADMIN_EMAIL/ADMIN_PASSWORD created or updated at start.
import { systemCtx } from '../../lib/ctx.ts';
import fp from 'fastify-plugin';
import { accountService, type AccountService } from './service.ts';
import { tokenService, type TokenService } from './tokens.ts';
import { auditService, type AuditService } from './audit.ts';
import { siteSettingsService, type SiteSettingsService } from './site-settings.ts';
import { totpService, type TotpService } from './totp.ts';
import { registerTotpGate } from './totp-gate.ts';

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountService;
    accountTokens: TokenService;
    audit: AuditService;
    siteSettings: SiteSettingsService;
    totp: TotpService;
  }
}

/** Idle sessions are counted in days (SESSION_IDLE_DAYS). */
const DAY_MS = 24 * 3600_000;

export default fp<{ admin: { email: string; password: string } | null }>(
  async (app, opts) => {
    const accounts = accountService(app.db, app.sqlite, { idleMs: app.config.sessionIdleDays * DAY_MS });
    app.decorate('accounts', accounts);
    app.decorate('accountTokens', tokenService(app.db));
    app.decorate('audit', auditService(app.db));
    app.decorate('siteSettings', siteSettingsService(app.db));
    // The account mailer is decorated later (notifications plugin): looked up when a mail is sent.
    const mail = () => app.accountMail;
    app.decorate('totp', totpService(app.db, { tokens: app.accountTokens, settings: app.siteSettings, mail }));
    // Before every route's preHandlers (CSRF, role checks): the routes are registered after this plugin.
    app.addHook('onRequest', async (req) => {
      const id = req.sessionId();
      if (id) req.actor = accounts.actorForSession({ actor: null, clock: app.clock }, id);
    });
    registerTotpGate(app, app.totp);
    if (opts.admin) await accounts.ensureAdmin(systemCtx(app.clock), opts.admin.email, opts.admin.password);
  },
  { name: 'accounts', dependencies: ['db', 'clock', 'session'] },
);
