// /healthz is liveness; /readyz runs the readiness registry and says which check fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseWritable } from '../../server/modules/ops/checks.ts';
import eventLoopPlugin from '../../server/plugins/event-loop.ts';
import pressurePlugin from '../../server/plugins/pressure.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const holdLoop = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* hold the loop */
  }
};

const readyz = async () => {
  const r = await t!.app.inject({ method: 'GET', url: '/readyz' });
  return { status: r.statusCode, body: r.json() };
};

describe('/readyz', () => {
  it('answers 200 with every check passing and the recent event-loop delay', async () => {
    t = await makeApp();
    const r = await readyz();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ready: true, reasons: [] });
    expect(Object.keys(r.body.checks).sort()).toEqual([
      'database',
      'disk',
      'migrations',
      'pressure',
      'search',
      'storage',
    ]);
    expect(Object.values(r.body.checks).every((c) => (c as { ok: boolean }).ok)).toBe(true);
    expect(r.body.eventLoopDelayMs).toEqual(
      expect.objectContaining({ p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) }),
    );
    // A window still open says so: its figures are partial.
    expect(r.body.eventLoopDelayMs.endedAt).toBeNull();
    // What the process holds, in MB, beside it.
    expect(r.body.memoryMB.rss).toBeGreaterThan(r.body.memoryMB.heapUsed);
    expect(Object.keys(r.body.memoryMB).sort()).toEqual(['arrayBuffers', 'external', 'heapUsed', 'rss']);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('is not ready when the database refuses writes', async () => {
    t = await makeApp();
    t.app.sqlite.pragma('query_only = ON');
    const r = await readyz();
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ ready: false, reasons: ['database'] });
    expect(r.body.checks.database.message).toMatch(/数据库不可写/);
    t.app.sqlite.pragma('query_only = OFF');
    expect((await readyz()).status).toBe(200);
  });

  it('finds a read-only connection by writing, not by asking', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-ro-'));
    try {
      const path = join(dir, 'db.sqlite');
      const rw = new Database(path);
      rw.exec('CREATE TABLE t (x)');
      expect(databaseWritable(rw)()).toBeNull();
      const ro = new Database(path, { readonly: true });
      expect(databaseWritable(ro)()).toMatch(/数据库不可写/);
      ro.close();
      rw.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not ready when a committed migration is missing from the applied set', async () => {
    t = await makeApp();
    t.app.sqlite
      .prepare('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)')
      .run();
    const r = await readyz();
    expect(r.status).toBe(503);
    expect(r.body.reasons).toEqual(['migrations']);
    expect(r.body.checks.migrations.message).toMatch(/尚未应用的数据库迁移：\d{4}_/);
  });

  it('is not ready when the disk under DATA_DIR has less free space than required', async () => {
    t = await makeApp({ readiness: { minFreeDiskBytes: Number.MAX_SAFE_INTEGER } });
    const r = await readyz();
    expect(r.status).toBe(503);
    expect(r.body.reasons).toEqual(['disk']);
    expect(r.body.checks.disk.message).toMatch(/可用空间/);
  });

  it('takes checks from other modules; a check that throws counts as not ready; names are unique', async () => {
    t = await makeApp();
    let fine = true;
    t.app.readiness.add('mailer', () => (fine ? null : 'SMTP 无法连接'));
    t.app.readiness.add('broken', () => {
      throw new Error('boom');
    });
    const r = await readyz();
    expect(r.body.reasons).toEqual(['broken']);
    expect(r.body.checks.broken.message).toContain('boom');
    fine = false;
    expect((await readyz()).body.reasons).toEqual(['mailer', 'broken']);
    expect(() => t!.app.readiness.add('mailer', () => null)).toThrow(/already registered/);
  });
});

describe('overload', () => {
  it('answers 503 with Retry-After on normal routes while /healthz stays 200 and /readyz names the pressure', async () => {
    t = await makeApp({ pressure: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1, maxRssBytes: 0 } });
    // under-pressure samples memory once a second: wait for the first sample rather than for a fixed time.
    await expect.poll(() => t!.app.isUnderPressure(), { timeout: 5000 }).toBe(true);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/providers' });
    expect(api.statusCode).toBe(503);
    expect(api.headers['retry-after']).toBe('10');
    expect(api.json().error).toMatchObject({ code: 'OVERLOADED', message: expect.stringMatching(/服务器繁忙/) });
    const page = await t.app.inject({ method: 'GET', url: '/cases', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('服务器繁忙');
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const r = await readyz();
    expect(r.status).toBe(503);
    expect(r.body.reasons).toEqual(['pressure']);
  });

  it('does not count the loop held while the app was built, and refuses when it lags after', async () => {
    const app = Fastify();
    await app.register(pressurePlugin, {
      maxEventLoopDelayMs: 20,
      maxHeapUsedBytes: 0,
      maxRssBytes: 0,
      sampleIntervalMs: 50,
    });
    app.get('/work', async () => ({ ok: true }));
    holdLoop(300); // the build: migrations, the search index, views
    await app.ready();
    try {
      // under-pressure's sample holds the build's lag; requests in the first samples after ready still pass.
      await expect.poll(() => app.isUnderPressure(), { interval: 5, timeout: 2000 }).toBe(true);
      expect(app.pressureNow()).toBeNull();
      expect((await app.inject({ method: 'GET', url: '/work' })).statusCode).toBe(200);

      await new Promise((r) => setTimeout(r, 150)); // past the startup samples
      holdLoop(300);
      await expect.poll(() => app.isUnderPressure(), { interval: 5, timeout: 2000 }).toBe(true);
      expect(app.pressureNow()).toBe('eventLoopDelay');
      const r = await app.inject({ method: 'GET', url: '/work' });
      expect(r.statusCode).toBe(503);
      expect(r.headers['retry-after']).toBe('10');
    } finally {
      await app.close();
    }
  });

  it('lets requests through with the default limits', async () => {
    t = await makeApp();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/providers' })).statusCode).toBe(200);
  });
});

describe('event-loop delay', () => {
  it('shows a blocked event loop in the recent figures', async () => {
    t = await makeApp();
    await new Promise((r) => setTimeout(r, 50)); // a few quiet samples first
    holdLoop(120);
    await new Promise((r) => setTimeout(r, 30)); // the sampler's timer runs late, and records it
    const d = t.app.eventLoop.delay();
    expect(d.max).toBeGreaterThanOrEqual(100);
    expect(d.max).toBeGreaterThanOrEqual(d.p99);
    expect(d.p99).toBeGreaterThanOrEqual(d.p50);
  });

  it('reports how late the sampler ran, not the time between its samples: an idle loop is not 10 ms late', async () => {
    const app = Fastify();
    await app.register(eventLoopPlugin, { resolutionMs: 10 });
    await app.ready();
    try {
      await new Promise((r) => setTimeout(r, 300)); // about 30 samples of a loop with nothing to do
      const idle = app.eventLoop.delay();
      // Node's raw histogram reads at least the 10 ms step here (p50 ≈ 10.2 on this machine).
      expect(idle.p50).toBeLessThan(10);
      expect(idle.p50).toBeGreaterThanOrEqual(0);
      holdLoop(60);
      await new Promise((r) => setTimeout(r, 30));
      // The timer due during the 60 ms hold ran at its end: at least 50 ms late.
      const held = app.eventLoop.delay();
      expect(held.max).toBeGreaterThanOrEqual(50);
    } finally {
      await app.close();
    }
  });

  it('reports the last complete window with the time it closed', async () => {
    const app = Fastify();
    await app.register(eventLoopPlugin, { windowMs: 100 });
    await app.ready();
    try {
      expect(app.eventLoop.delay().endedAt).toBeNull();
      await new Promise((r) => setTimeout(r, 250));
      const d = app.eventLoop.delay();
      expect(d.windowMs).toBe(100);
      const age = Date.now() - Date.parse(d.endedAt ?? '');
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(1_000);
    } finally {
      await app.close();
    }
  });
});
