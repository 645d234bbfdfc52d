// App plugin: the provider directory, seeded on start (existing rows are never overwritten).
import { systemCtx } from '../../lib/ctx.ts';
import fp from 'fastify-plugin';
import { providerService, type ProviderService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance { providers: ProviderService }
}

export default fp(async (app) => {
  const providers = providerService(app.db);
  providers.seed(systemCtx(app.clock));
  app.decorate('providers', providers);
}, { name: 'providers', dependencies: ['db', 'clock'] });
