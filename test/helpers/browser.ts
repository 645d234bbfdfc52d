// Real Chromium (chromium.ts: the system's, else the npm package's) driven by playwright-core, against the app
// listening on a loopback port.
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { makeApp, type TestApp } from './app.ts';
import { launchBrowser } from './chromium.ts';

/** Starts the app on 127.0.0.1 with a free port and returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

/**
 * One app on a free loopback port and one Chromium for a whole test file, closed afterwards.
 * Fields are filled in beforeAll; `setup` runs after the app is up (to make test data).
 */
export function browserApp(setup?: (t: TestApp) => Promise<void>): { t: TestApp; browser: Browser; base: string } {
  const ctx = {} as { t: TestApp; browser: Browser; base: string };
  beforeAll(async () => {
    ctx.t = await makeApp();
    if (setup) await setup(ctx.t);
    ctx.base = await listen(ctx.t.app);
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.t?.close();
  });
  return ctx;
}
