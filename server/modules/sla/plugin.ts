// App plugin: the deadline scheduler on app.sla. It runs (and catches up) only when config.workers is on; tests
// call app.sla.tick() themselves, and app.outbox.drain() for the effects it queued. Transitions that write an earlier
// deadline wake it.
import fp from 'fastify-plugin';
import { DEADLINE_EFFECTS_TOPIC, deadlineEffectsHandler, effectsQueue } from './effects.ts';
import { DeadlineScheduler } from './scheduler.ts';

declare module 'fastify' {
  interface FastifyInstance {
    sla: DeadlineScheduler;
  }
}

export default fp(
  async (app) => {
    const deps = app.lifecycle.transitionDeps;
    const scheduler = new DeadlineScheduler({
      db: app.db,
      sqlite: app.sqlite,
      clock: app.clock,
      testClock: app.testClock,
      log: app.log,
      deps,
      effects: effectsQueue(app.outbox),
    });
    app.outbox.registerHandler(
      DEADLINE_EFFECTS_TOPIC,
      deadlineEffectsHandler({ db: app.db, sqlite: app.sqlite, groupCommit: app.groupCommit, clock: app.clock, deps }),
    );
    app.decorate('sla', scheduler);
    app.lifecycle.onDeadline((at) => scheduler.poke(at));
    if (app.config.workers)
      app.addHook('onReady', async () => {
        scheduler.start();
      });
    app.addHook('onClose', async () => {
      scheduler.stop();
    });
  },
  { name: 'sla', dependencies: ['db', 'clock', 'lifecycle', 'forwarding', 'notifications', 'outbox'] },
);
