// Builds the whole service in a fixed order: external plugins, then app plugins (services), then routes.
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import type { Clock } from './lib/clock.ts';
import dbPlugin from './plugins/db.ts';
import clockPlugin from './plugins/clock.ts';
import bodyPlugin from './plugins/body.ts';
import uploadsPlugin from './plugins/uploads.ts';
import securityPlugin from './plugins/security.ts';
import sessionPlugin from './plugins/session.ts';
import viewsPlugin from './plugins/views.ts';
import errorsPlugin from './plugins/errors.ts';
import openapiPlugin from './plugins/openapi.ts';
import responseCheckPlugin from './plugins/response-check.ts';
import { schemaErrorFormatter } from './lib/schema-errors.ts';
import { validatorCompiler } from './lib/schema-compiler.ts';
import connectionsPlugin, { serverTimeouts } from './plugins/connections.ts';
import { fastifyTrustProxy } from './lib/trust-proxy.ts';
import { requestForLog } from './lib/log-request.ts';
import pressurePlugin from './plugins/pressure.ts';
import eventLoopPlugin from './plugins/event-loop.ts';
import readinessPlugin from './modules/ops/plugin.ts';
import accountsPlugin from './modules/accounts/plugin.ts';
import accountSelfServicePlugin from './modules/accounts/self-service-plugin.ts';
import { SESSION_TTL_MS } from './modules/accounts/service.ts';
import providersPlugin from './modules/providers/plugin.ts';
import outboxPlugin from './modules/outbox/plugin.ts';
import notificationsPlugin from './modules/notifications/plugin.ts';
import forwardingPlugin from './modules/forwarding/plugin.ts';
import complaintsPlugin from './modules/complaints/plugin.ts';
import lifecyclePlugin from './modules/complaints/lifecycle-plugin.ts';
import slaPlugin from './modules/sla/plugin.ts';
import deadlinePolicyPlugin from './modules/sla/policy-plugin.ts';
import merchantPlugin from './modules/merchant/plugin.ts';
import adminAccountsPlugin from './modules/admin-accounts/plugin.ts';
import moderationPlugin from './modules/moderation/plugin.ts';
import boardPlugin from './modules/board/plugin.ts';
import openDataPlugin from './modules/board/open-data-plugin.ts';
import opsRoutes from './modules/ops/routes.ts';
import accountRoutes from './modules/accounts/routes.ts';
import passwordResetRoutes from './modules/accounts/routes-reset.ts';
import accountDataRoutes from './modules/accounts/routes-data.ts';
import verifyRoutes from './modules/accounts/routes-verify.ts';
import settingsRoutes from './modules/accounts/routes-settings.ts';
import providerRoutes from './modules/providers/routes.ts';
import providerReviewPlugin from './modules/providers/review-plugin.ts';
import providerReviewRoutes from './modules/providers/routes-review.ts';
import complaintApiRoutes from './modules/complaints/routes-api.ts';
import complaintPageRoutes from './modules/complaints/routes-pages.ts';
import complaintFilingRoutes from './modules/complaints/routes-filing.ts';
import complaintEventRoutes from './modules/complaints/routes-events.ts';
import merchantRoutes from './modules/merchant/routes.ts';
import merchantTeamRoutes from './modules/merchant/routes-team.ts';
import adminUserRoutes from './modules/admin-accounts/routes-users.ts';
import adminStaffRoutes from './modules/admin-accounts/routes-staff.ts';
import adminProviderListRoutes from './modules/admin-accounts/routes-providers.ts';
import adminAuditRoutes from './modules/admin-accounts/routes-audit.ts';
import inviteRoutes from './modules/admin-accounts/routes-invite.ts';
import moderationRoutes from './modules/moderation/routes.ts';
import homeRoutes from './modules/home/routes.ts';
import infoPageRoutes from './modules/pages/routes.ts';
import forwardingAdminRoutes from './modules/forwarding/routes-admin.ts';
import providerEditRoutes from './modules/forwarding/routes-provider-edit.ts';
import boardApiRoutes from './modules/board/routes-api.ts';
import boardPageRoutes from './modules/board/routes-pages.ts';
import boardOpenDataRoutes from './modules/board/routes-open-data.ts';
import boardAdminRoutes from './modules/board/routes-admin.ts';
import boardDocsRoutes from './modules/board/routes-docs.ts';
import boardCrawlerRoutes from './modules/board/routes-crawlers.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export interface BuildOptions {
  clock?: Clock;
  /** Sees every route as it is registered (tests check that each state-changing route carries a rate limit). */
  onRoute?: (route: RouteOptions) => void;
  /** Where log lines go instead of stdout (tests read what a request logs). */
  logStream?: DestinationStream;
  /** Tests: fail any JSON answer whose response schema dropped or changed a field (plugins/response-check.ts). */
  checkResponses?: boolean;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            serializers: { req: requestForLog },
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    bodyLimit: 1024 * 1024,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    routerOptions: { maxParamLength: 200 },
    schemaErrorFormatter,
    // The validators a response schema's unions need are compiled with the route at start: compiled on the first
    // answer that reaches them instead, each held the event loop 20–120 ms under load.
    serializerOpts: { compileValidators: true },
    ...serverTimeouts(config.http),
  });
  // JSON bodies as sent, the query string and path parameters coerced (lib/schema-compiler.ts).
  app.setValidatorCompiler(validatorCompiler);
  app.decorate('config', config);
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  if (options.checkResponses) await app.register(responseCheckPlugin);

  // External plugins.
  await app.register(connectionsPlugin, { ...config.http, trustProxy: config.trustProxy });
  // Before any other onRequest hook (sessions read the database): an overloaded process refuses cheaply.
  await app.register(pressurePlugin, config.pressure);
  await app.register(eventLoopPlugin);
  await app.register(dbPlugin, { path: config.databasePath });
  await app.register(clockPlugin, { clock: options.clock, testClock: config.testClock });
  await app.register(bodyPlugin);
  await app.register(uploadsPlugin, { uploadDir: config.uploadDir, ...config.uploads });
  await app.register(securityPlugin, { rateLimits: config.rateLimits, cookieSecure: config.cookieSecure });
  await app.register(sessionPlugin, {
    secret: config.sessionSecret,
    secure: config.cookieSecure,
    maxAgeMs: SESSION_TTL_MS,
  });
  await app.register(viewsPlugin);
  await app.register(errorsPlugin);
  await app.register(openapiPlugin, { publicUrl: config.publicUrl });

  // App plugins: services decorated onto the instance. Readiness first, so any module can add its check.
  await app.register(readinessPlugin);
  await app.register(accountsPlugin, { admin: config.admin });
  await app.register(providersPlugin);
  await app.register(outboxPlugin);
  await app.register(notificationsPlugin);
  await app.register(accountSelfServicePlugin);
  // Before the modules that record on a complaint's timeline through it (forwarding, sla, board).
  await app.register(complaintsPlugin, {
    uploadDir: config.uploadDir,
    limits: { ...config.uploads, maxPixels: config.uploadMaxPixels },
  });
  await app.register(forwardingPlugin);
  await app.register(deadlinePolicyPlugin);
  await app.register(lifecyclePlugin);
  await app.register(slaPlugin);
  await app.register(merchantPlugin);
  await app.register(adminAccountsPlugin);
  await app.register(moderationPlugin);
  await app.register(boardPlugin);
  await app.register(providerReviewPlugin);
  await app.register(openDataPlugin);

  // Routes.
  await app.register(opsRoutes);
  await app.register(homeRoutes);
  await app.register(infoPageRoutes);
  await app.register(accountRoutes);
  await app.register(passwordResetRoutes);
  await app.register(accountDataRoutes);
  await app.register(verifyRoutes);
  await app.register(settingsRoutes);
  await app.register(providerRoutes);
  await app.register(complaintApiRoutes);
  await app.register(complaintPageRoutes);
  await app.register(complaintFilingRoutes);
  await app.register(complaintEventRoutes);
  await app.register(merchantRoutes);
  await app.register(merchantTeamRoutes);
  await app.register(adminUserRoutes);
  await app.register(adminStaffRoutes);
  await app.register(adminProviderListRoutes);
  await app.register(adminAuditRoutes);
  await app.register(inviteRoutes);
  await app.register(moderationRoutes);
  await app.register(forwardingAdminRoutes);
  await app.register(providerEditRoutes);
  await app.register(providerReviewRoutes);
  await app.register(boardApiRoutes);
  await app.register(boardPageRoutes);
  await app.register(boardOpenDataRoutes);
  await app.register(boardAdminRoutes);
  await app.register(boardDocsRoutes);
  await app.register(boardCrawlerRoutes);
  return app;
}
