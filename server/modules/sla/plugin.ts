// App plugin: the deadline scheduler on app.sla. It runs (and catches up) only when config.workers is on; tests
// call app.sla.tick() themselves. Transitions that write an earlier deadline wake it.
import fp from 'fastify-plugin';
import { transitionStatements } from '../complaints/transitions.ts';
import { DeadlineScheduler } from './scheduler.ts';

declare module 'fastify' {
  interface FastifyInstance { sla: DeadlineScheduler }
}

export default fp(async (app) => {
  const scheduler = new DeadlineScheduler({
    db: app.db, sqlite: app.sqlite, clock: app.clock, testClock: app.testClock, log: app.log,
    deps: { statements: transitionStatements(app.db), hooks: app.complaintHooks, slaOverrides: app.config.slaOverrides, forwarding: app.forwarding, notifications: app.notifications },
  });
  app.decorate('sla', scheduler);
  app.lifecycle.onDeadline((at) => scheduler.poke(at));
  if (app.config.workers) app.addHook('onReady', async () => { scheduler.start(); });
  app.addHook('onClose', async () => { scheduler.stop(); });
}, { name: 'sla', dependencies: ['db', 'clock', 'lifecycle', 'forwarding', 'notifications'] });
