// App plugin: the merchant inbox service on app.merchant (provider staff only).
import fp from 'fastify-plugin';
import { merchantService, type MerchantService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    merchant: MerchantService;
  }
}

export default fp(
  async (app) => {
    app.decorate('merchant', merchantService(app.db));
  },
  { name: 'merchant', dependencies: ['db', 'complaints'] },
);
