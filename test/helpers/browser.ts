// Real Chromium (Debian's package) driven by playwright-core, against the app listening on a loopback port.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { makeApp, type TestApp } from './app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium fonts-wqy-microhei" (.ci/run does).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

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
