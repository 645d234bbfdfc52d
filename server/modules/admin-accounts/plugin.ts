// App plugin: the admin's verbs on accounts (app.adminUsers), providers' teams (app.teams) and staff invitations
// (app.invites).
import fp from 'fastify-plugin';
import { usersService, type UsersService } from './users-service.ts';
import { staffService, type StaffService } from './staff-service.ts';
import { inviteService, type InviteService } from './invite.ts';

declare module 'fastify' {
  interface FastifyInstance {
    adminUsers: UsersService;
    teams: StaffService;
    invites: InviteService;
  }
}

export default fp(
  async (app) => {
    const deps = {
      accounts: app.accounts,
      tokens: app.accountTokens,
      audit: app.audit,
      mail: app.accountMail,
      verification: app.verification,
      complaints: app.complaints.platform,
      publicUrl: app.config.publicUrl,
    };
    app.decorate('adminUsers', usersService(app.db, deps));
    app.decorate('teams', staffService(app.db, deps));
    app.decorate(
      'invites',
      inviteService(app.db, { accounts: app.accounts, tokens: app.accountTokens, providers: app.providers }),
    );
  },
  {
    name: 'admin-accounts',
    dependencies: ['db', 'accounts', 'complaints', 'providers', 'notifications', 'account-self-service'],
  },
);
