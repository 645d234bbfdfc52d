// On shutdown the worker hands back what it holds: another process takes the rows at once, not after the lease.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { attempts, enqueueNow, row } from '../helpers/outbox.ts';

const opened: TestApp[] = [];
let dir = '';
afterEach(async () => {
  for (const a of opened.splice(0)) await a.close();
  rmSync(dir, { recursive: true, force: true });
});

it('release() returns held rows to pending, due now, and another worker claims them before the lease ends', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wc-release-'));
  const databasePath = join(dir, 'db.sqlite');
  const a = await makeApp({ databasePath });
  const b = await makeApp({ databasePath });
  opened.push(a, b);
  const ids = [1, 2, 3].map((i) => enqueueNow(a.app, 'held', `k${i}`)!);
  expect(
    a.app.outbox.worker
      .claim(10)
      .map((r) => r.id)
      .sort(),
  ).toEqual(ids);
  // Process a "started" its sends: open attempts, as a crash or a shutdown would leave them.
  for (const id of ids)
    a.app.sqlite.prepare('INSERT INTO outbox_attempts (outbox_id, attempt, started_at) VALUES (?, 1, ?)').run(id, T0);
  expect(b.app.outbox.worker.claim(10)).toEqual([]); // held under a's lease

  expect(a.app.outbox.release()).toBe(3);
  for (const id of ids) {
    expect(row(a.app, id)).toMatchObject({
      status: 'pending',
      claimed_by: null,
      claim_expires_at: null,
      next_attempt_at: T0,
    });
    expect(attempts(a.app, id)).toEqual([
      expect.objectContaining({ ok: 0, finished_at: T0, detail: expect.stringMatching(/进程关闭/) }),
    ]);
  }
  expect(
    b.app.outbox.worker
      .claim(10)
      .map((r) => r.id)
      .sort(),
  ).toEqual(ids);
  expect(a.app.outbox.release()).toBe(0); // b's claims are not a's to release
  expect(row(a.app, ids[0]).claimed_by).toBe(b.app.outbox.worker.id);
});
