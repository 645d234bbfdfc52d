// App plugin: the lifecycle verbs (events, edits) on app.lifecycle. Depends on forwarding and notifications, which
// it calls inside each transition's transaction.
import fp from 'fastify-plugin';
import { lifecycleService, type LifecycleService } from './events-service.ts';
import { transitionStatements, type TransitionDeps } from './transitions.ts';

type DeadlineListener = (at: number | null) => void;

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: LifecycleService & {
      onDeadline(fn: DeadlineListener): void;
      /** What a transition writes with and sets off: shared with the deadline scheduler, prepared once. */
      transitionDeps: TransitionDeps;
    };
  }
}

export default fp(
  async (app) => {
    const listeners = new Set<DeadlineListener>();
    const transitionDeps: TransitionDeps = {
      statements: transitionStatements(app.db),
      timeline: app.timeline,
      hooks: app.complaintHooks,
      deadlines: app.deadlinePolicy,
      forwarding: app.forwarding,
      notifications: app.notifications,
    };
    const service = lifecycleService({
      ...transitionDeps,
      db: app.db,
      providers: app.providers,
      store: app.attachmentStore,
      limits: { ...app.config.uploads, maxPixels: app.config.uploadMaxPixels },
      onDeadline: (at) => {
        for (const fn of listeners) fn(at);
      },
    });
    app.decorate(
      'lifecycle',
      Object.assign(service, {
        onDeadline: (fn: DeadlineListener) => {
          listeners.add(fn);
        },
        transitionDeps,
      }),
    );
    app.addHook('onClose', async () => {
      listeners.clear();
    });
  },
  {
    name: 'lifecycle',
    dependencies: ['db', 'complaints', 'providers', 'forwarding', 'notifications', 'deadline-policy'],
  },
);
