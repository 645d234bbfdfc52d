// App plugin: the moderation service (review queue and admin dashboard) on app.moderation.
import fp from 'fastify-plugin';
import { moderationService, type ModerationService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    moderation: ModerationService;
  }
}

export default fp(
  async (app) => {
    app.decorate('moderation', moderationService(app.db));
  },
  { name: 'moderation', dependencies: ['db', 'complaints'] },
);
