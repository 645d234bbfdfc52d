// App plugin: what a person does to their own account: verify the e-mail address (app.verification) and the settings
// page's verbs (app.accountSettings). After notifications: both mail through app.accountMail.
import fp from 'fastify-plugin';
import { settingsService, type SettingsService } from './settings.ts';
import { verificationService, type VerificationService } from './verification.ts';

declare module 'fastify' {
  interface FastifyInstance {
    verification: VerificationService;
    accountSettings: SettingsService;
  }
}

export default fp(
  async (app) => {
    app.decorate(
      'verification',
      verificationService({
        db: app.db,
        tokens: app.accountTokens,
        mail: app.accountMail,
        publicUrl: app.config.publicUrl,
      }),
    );
    app.decorate('accountSettings', settingsService({ db: app.db, accounts: app.accounts, mail: app.accountMail }));
  },
  { name: 'account-self-service', dependencies: ['accounts', 'notifications'] },
);
