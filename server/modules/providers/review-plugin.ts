// App plugin: admins' review of pending provider names. Needs the complaint hooks (the board follows each decision)
// and forwarding (a merge forwards waiting complaints through the target's channels).
import fp from 'fastify-plugin';
import { providerReview, type ProviderReview } from './review.ts';

declare module 'fastify' {
  interface FastifyInstance {
    providerReview: ProviderReview;
  }
}

export default fp(
  async (app) => {
    app.decorate(
      'providerReview',
      providerReview({
        db: app.db,
        providers: app.providers,
        hooks: app.complaintHooks,
        complaints: app.complaints.platform,
        namesOf: (userIds) => app.accounts.namesOf(userIds),
        timeline: app.timeline,
        reforward: (tx, ctx, complaintId, reason) => {
          app.forwarding.reforward(tx, ctx, complaintId, reason);
        },
      }),
    );
  },
  { name: 'provider-review', dependencies: ['db', 'accounts', 'providers', 'complaints', 'forwarding', 'board'] },
);
