// Where the site requires two-factor for a role (admins, providers' staff) and the signed-in account has not set it
// up yet: every page sends the person to /me/security to enrol, every API answers 403 TOTP_REQUIRED. Only enrolment
// itself, logging out, the CSRF token, who-am-I and static files stay open. Cheap: whether TOTP is set comes with the
// session query, and the settings are read only for an admin or staff account without it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden } from '../../lib/errors.ts';
import type { TotpService } from './totp.ts';

export const SECURITY_PAGE = '/me/security';

const OPEN = new Set([
  SECURITY_PAGE,
  '/me/security/setup',
  '/me/security/confirm',
  '/logout',
  '/api/v1/auth/logout',
  '/api/v1/auth/csrf',
  '/api/v1/auth/me',
  '/api/v1/me/totp',
  '/api/v1/me/totp/setup',
  '/api/v1/me/totp/confirm',
]);

const isOpen = (req: FastifyRequest) => {
  const url = req.routeOptions.url;
  return (url !== undefined && OPEN.has(url)) || req.url.startsWith('/static/');
};

export function registerTotpGate(app: FastifyInstance, totp: TotpService) {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const actor = req.actor;
    if (!actor || actor.hasTotp || actor.role === 'consumer' || isOpen(req)) return;
    if (!totp.required(actor.role)) return;
    if (req.url.startsWith('/api/'))
      throw new Forbidden('平台要求你的账户启用两步验证：请先在“账户安全”中完成设置', 'TOTP_REQUIRED');
    return reply.redirect(`${SECURITY_PAGE}?required=1`, 303);
  });
}
