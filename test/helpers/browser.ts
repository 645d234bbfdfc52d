// Real Chromium driven by playwright-core, against the app listening on a loopback port: Debian's package when it is
// installed (CI installs it with a Chinese font), otherwise the Chromium shipped in the npm package @sparticuz/chromium,
// so `npm test` passes on a fresh machine with the README's two commands alone.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { makeApp, type TestApp } from './app.ts';

const SYSTEM_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const COMMON_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where the browser comes from: the system's Chromium, else the npm package's (unpacked to the temp dir once). */
export async function chromiumLaunchOptions(): Promise<{ executablePath: string; args: string[] }> {
  if (existsSync(SYSTEM_CHROMIUM)) {
    return { executablePath: SYSTEM_CHROMIUM, args: ['--headless', '--no-sandbox', ...COMMON_ARGS] };
  }
  const { default: packaged } = await import('@sparticuz/chromium');
  // The package is made for serverless functions: --single-process there means one page per browser, and a test that
  // opens a second context or page would find the browser gone. Separate processes work on an ordinary machine. Its
  // --disable-web-security is dropped too: the tests check the site as a real browser enforces it.
  const args = packaged.args.filter((a) => a !== '--single-process' && a !== '--disable-web-security');
  return { executablePath: await packaged.executablePath(), args: [...args, ...COMMON_ARGS] };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch(await chromiumLaunchOptions());
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
