// Every route that changes state carries its own rate limit: an unlimited POST is where a flood of bodies goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';

/** The test clock exists only with TEST_CLOCK=1, which production never sets. */
const ALLOWED_WITHOUT_LIMIT = new Set(['POST /api/v1/test/clock']);

it('gives every POST, PUT, PATCH and DELETE route a rateLimit config', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wc-routes-'));
  const unsafe: string[] = [];
  const unlimited: string[] = [];
  const app = await buildApp(testConfig({ dataDir, uploadDir: join(dataDir, 'uploads'), rateLimits: true }), {
    onRoute: (route) => {
      for (const method of [route.method].flat()) {
        if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
        const name = `${method} ${route.url}`;
        unsafe.push(name);
        if (!(route.config as { rateLimit?: unknown } | undefined)?.rateLimit && !ALLOWED_WITHOUT_LIMIT.has(name))
          unlimited.push(name);
      }
    },
  });
  try {
    await app.ready();
    expect(unsafe).toContain('POST /api/v1/auth/logout');
    expect(unsafe).toContain('POST /api/v1/complaints');
    expect(unsafe.length).toBeGreaterThan(20);
    expect(unlimited).toEqual([]);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
