// App plugin: the account service, and the admin from ADMIN_EMAIL/ADMIN_PASSWORD created or updated at start.
import { systemCtx } from '../../lib/ctx.ts';
import fp from 'fastify-plugin';
import { accountService, type AccountService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance { accounts: AccountService }
}

export default fp<{ admin: { email: string; password: string } | null }>(async (app, opts) => {
  const accounts = accountService(app.db, app.sqlite);
  app.decorate('accounts', accounts);
  if (opts.admin) await accounts.ensureAdmin(systemCtx(app.clock), opts.admin.email, opts.admin.password);
}, { name: 'accounts', dependencies: ['db', 'clock'] });
