// App plugin: the mailer (SMTP or the mail log file) and e-mail notifications through the outbox (topic 'email').
import fp from 'fastify-plugin';
import { join } from 'node:path';
import { Mailer } from './mailer.ts';
import { notificationService, type EmailPayload, type NotificationService } from './notify.ts';

declare module 'fastify' {
  interface FastifyInstance { mailer: Mailer; notifications: NotificationService }
}

export default fp(async (app) => {
  const mailer = new Mailer({ smtpUrl: app.config.smtpUrl, from: app.config.mailFrom, logFile: join(app.config.dataDir, 'mail-outbox.log') });
  app.decorate('mailer', mailer);
  app.decorate('notifications', notificationService(app.db, app.outbox, app.config.publicUrl));
  app.outbox.registerHandler('email', {
    async send(item) {
      const p = item.payload as EmailPayload;
      return mailer.send({ to: p.to, subject: p.subject, text: p.text, key: item.idempotencyKey });
    },
  });
  app.addHook('onClose', async () => { mailer.close(); });
}, { name: 'notifications', dependencies: ['db', 'outbox'] });
