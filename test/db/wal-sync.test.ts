// Acknowledged writes are on disk before the answer leaves: every answer to a writing request waits for an fdatasync of
// the WAL (db/wal-sync.ts); concurrent requests share syncs; reads never wait for one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalSync } from '../../server/db/wal-sync.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { consumer, fileComplaint } from '../helpers/factories.ts';

let t: TestApp | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = null;
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('WAL sync before acknowledging', () => {
  it('shares one sync among the callers that arrive while it runs, and runs a fresh one after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-walsync-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'db-wal'), 'frames');
    const s = new WalSync(join(dir, 'db-wal'));
    await Promise.all(Array.from({ length: 20 }, () => s.sync()));
    expect(s.count).toBeGreaterThanOrEqual(1);
    expect(s.count).toBeLessThanOrEqual(2); // the first, and one for everyone who came while it ran
    const before = s.count;
    await s.sync();
    expect(s.count).toBe(before + 1);
    await s.close();
    expect(await new WalSync(join(dir, 'missing-wal')).sync()).toBeUndefined(); // no WAL yet: nothing to sync
  });

  it('syncs before answering a filing, and not for a read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-walsync-app-'));
    dirs.push(dir);
    t = await makeApp({ dataDir: dir, databasePath: join(dir, 'app.sqlite') });
    const c = await consumer(t.app);
    const before = t.app.walSync.count;
    const { id } = await fileComplaint(c);
    expect(t.app.walSync.count).toBeGreaterThan(before);
    const afterWrite = t.app.walSync.count;
    expect((await c.get(`/api/v1/complaints/${id}`)).statusCode).toBe(200);
    expect((await new Client(t.app).get('/api/v1/cases')).statusCode).toBe(200);
    expect(t.app.walSync.count).toBe(afterWrite);
  });
});
