// App plugin: the mailer (SMTP or the local mail log) and e-mail notifications through the outbox (topic 'email').
import fp from 'fastify-plugin';
import { join } from 'node:path';
import { Mailer } from './mailer.ts';
import { accountMailer, type AccountMailer } from './account-mail.ts';
import { notificationService, type EmailPayload, type NotificationService } from './notify.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
    notifications: NotificationService;
    accountMail: AccountMailer;
  }
}

const DAY_MS = 24 * 3600_000;

export default fp(
  async (app) => {
    const mailer = new Mailer({
      smtpUrl: app.config.smtpUrl,
      from: app.config.mailFrom,
      logFile: join(app.config.dataDir, 'mail-outbox.log'),
      now: () => app.clock.now(),
    });
    if (mailer.mode === 'file') {
      // Loud, once, at start: otherwise a site may run for weeks believing providers and consumers got its mail.
      app.log.warn(
        { mailLog: mailer.logFile },
        'SMTP_URL is not set: no e-mail leaves this machine. Messages are only written to the mail log (mode 0600); e-mail forwarding to providers is recorded as not delivered. Set SMTP_URL to send mail.',
      );
    }
    app.decorate('mailer', mailer);
    app.decorate('notifications', notificationService(app.db, app.outbox, app.config.publicUrl));
    app.decorate('accountMail', accountMailer(app.outbox));
    app.outbox.registerHandler('email', {
      async send(item) {
        const p = item.payload as EmailPayload;
        return mailer.send({ to: p.to, subject: p.subject, text: p.text, key: item.idempotencyKey });
      },
      // A mail holding a live link (password reset …) is emptied from the outbox in the transaction that marks it sent.
      onDone(_tx, item) {
        if ((item.payload as EmailPayload).purgeOnDone) app.outbox.purgeRow(item.id);
      },
    });
    const timers: NodeJS.Timeout[] = [];
    if (app.config.workers) {
      app.addHook('onReady', async () => {
        const purge = () => {
          mailer
            .purgeLog(app.clock.now() - app.config.outbox.retentionDays * DAY_MS)
            .catch((err) => app.log.error({ err }, 'mail log retention purge failed'));
        };
        timers.push(setTimeout(purge, 60_000).unref(), setInterval(purge, 3600_000).unref());
      });
    }
    app.addHook('onClose', async () => {
      for (const t of timers) clearTimeout(t);
      mailer.close();
    });
  },
  { name: 'notifications', dependencies: ['db', 'clock', 'outbox'] },
);
