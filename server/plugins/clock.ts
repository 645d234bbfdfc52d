// External plugin: the one clock. With TEST_CLOCK=1 it is a test clock that POST /api/v1/test/clock moves forward.
import fp from 'fastify-plugin';
import { systemClock, TestClock, type Clock } from '../lib/clock.ts';

declare module 'fastify' {
  interface FastifyInstance {
    clock: Clock;
    testClock: TestClock | null;
  }
}

export default fp<{ clock?: Clock; testClock: boolean }>(
  async (app, opts) => {
    const testClock = opts.clock instanceof TestClock ? opts.clock : opts.testClock ? new TestClock() : null;
    app.decorate('clock', opts.clock ?? testClock ?? systemClock);
    app.decorate('testClock', testClock);
  },
  { name: 'clock' },
);
