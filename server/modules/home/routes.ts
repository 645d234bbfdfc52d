// The home page: what the service does, and the ways in.
import type { FastifyInstance } from 'fastify';
import { toPublicProvider } from '../providers/view-model.ts';

export default async function homeRoutes(app: FastifyInstance) {
  app.get('/', async (_req, reply) => reply.page('home', {
    title: '钱包投诉台',
    providers: app.providers.list().filter((p) => p.verified).map(toPublicProvider),
  }));
}
