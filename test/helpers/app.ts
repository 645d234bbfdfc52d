// Builds a whole app on a fresh in-memory database with a test clock; no port, no shared file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../server/app.ts';
import { testConfig, type Config } from '../../server/config.ts';
import { TestClock } from '../../server/lib/clock.ts';

export const T0 = Date.UTC(2026, 10, 2, 2, 0, 0); // 2026-11-02 10:00 China time

export interface TestApp {
  app: FastifyInstance;
  clock: TestClock;
  dataDir: string;
  close(): Promise<void>;
}

export async function makeApp(
  overrides: Partial<Config> = {},
  build: Omit<BuildOptions, 'clock'> = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wc-test-'));
  const clock = new TestClock(() => T0, T0); // frozen until advanced: deterministic times
  const config = testConfig({ dataDir, uploadDir: join(dataDir, 'uploads'), ...overrides });
  const app = await buildApp(config, { checkResponses: true, ...build, clock });
  await app.ready();
  return {
    app,
    clock,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An app on a database file in its own temporary folder, with background work on (the board's export files are built). */
export async function fileApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'wc-file-app-'));
  const t = await makeApp({ databasePath: join(dir, 'complaints.sqlite'), workers: true, ...overrides });
  return {
    ...t,
    async close() {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
