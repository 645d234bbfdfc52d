// The pages people look for before trusting a site with a complaint: 帮助 (how filing, deadlines and publication work,
// what each status means), 隐私政策 (what is collected, why, how long it is kept, who sees what, how to export and
// delete), 用户协议 and 联系我们. Every number they state comes from the running configuration and policies, so the
// pages cannot drift from what the service does.
import type { FastifyInstance } from 'fastify';
import { REOPEN_WINDOW_MS, STATUS_LABELS, STATUSES } from '../complaints/states.ts';
import { SESSION_TTL_MS } from '../accounts/service.ts';
import { STATUS_HELP } from './status-help.ts';

const DAY_MS = 24 * 3600_000;
const days = (ms: number) => Math.round(ms / DAY_MS);

export default async function infoPageRoutes(app: FastifyInstance) {
  const facts = () => ({
    sla: app.deadlinePolicy.rules,
    reopenDays: days(REOPEN_WINDOW_MS),
    sessionDays: days(SESSION_TTL_MS),
    retentionDays: app.config.outbox.retentionDays,
    maxFiles: app.config.uploads.maxFiles,
    maxFileMb: Math.round(app.config.uploads.maxFileBytes / 1024 / 1024),
    contactEmail: app.config.contactEmail,
    smtp: app.config.smtpUrl !== null,
  });

  app.get('/help', async (_req, reply) =>
    reply.page('pages/help', {
      title: '帮助',
      ...facts(),
      statuses: STATUSES.map((s) => ({ status: s, label: STATUS_LABELS[s], help: STATUS_HELP[s] })),
    }),
  );
  app.get('/privacy', async (_req, reply) => reply.page('pages/privacy', { title: '隐私政策', ...facts() }));
  app.get('/terms', async (_req, reply) => reply.page('pages/terms', { title: '用户协议', ...facts() }));
  app.get('/contact', async (_req, reply) => reply.page('pages/contact', { title: '联系我们', ...facts() }));
}
