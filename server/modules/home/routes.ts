// The home page: what the service does, the ways in, and the newest public cases.
import type { FastifyInstance } from 'fastify';
import { toPublicProvider } from '../providers/view-model.ts';

export default async function homeRoutes(app: FastifyInstance) {
  app.get('/', async (_req, reply) =>
    reply.page('home', {
      title: '钱包投诉台',
      // The home page's whole title: the name once, and what the site is (not 钱包投诉台 · 钱包投诉台).
      siteTitle: '钱包投诉台 · 数字钱包与支付投诉、限时回复、公开案例',
      providers: app.providers
        .list()
        .filter((p) => p.verified)
        .map(toPublicProvider),
      recent: app.board.reader.recent({ limit: 6 }),
      publicCount: await app.board.reader.count(),
      sla: app.deadlinePolicy.rules,
    }),
  );
}
