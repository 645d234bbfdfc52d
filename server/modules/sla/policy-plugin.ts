// App plugin: the deadline policy on app.deadlinePolicy, built once from config. Registered before the lifecycle,
// which starts clocks with it, and read by every page that states the rules.
import fp from 'fastify-plugin';
import { deadlinePolicy, type DeadlinePolicy } from './policy.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deadlinePolicy: DeadlinePolicy;
  }
}

export default fp(
  async (app) => {
    app.decorate('deadlinePolicy', deadlinePolicy(app.config));
  },
  { name: 'deadline-policy' },
);
