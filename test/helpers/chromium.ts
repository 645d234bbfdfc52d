// Where Chromium comes from, for the browser tests (browser.ts) and the review screenshots (scripts/screenshots.ts):
// Debian's package when it is installed (CI installs it with a Chinese font), otherwise the Chromium shipped in the npm
// package @sparticuz/chromium, so `npm test` passes on a fresh machine with the README's two commands alone.
// No vitest here: a script imports it too.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const COMMON_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where the browser comes from: the system's Chromium, else the npm package's (unpacked to the temp dir once). */
async function chromiumLaunchOptions(): Promise<{ executablePath: string; args: string[] }> {
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
