// A process killed with SIGKILL loses no deadline and fires none twice: breaches due while it was down (or that it
// fired just before dying) are each recorded exactly once after the restart.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, HOUR } from '../helpers/lifecycle.ts';

let t: TestApp | null = null;
let dir = '';
afterEach(async () => {
  await t?.close();
  t = null;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the app in a child process at `clockMs` until it has started (and caught up), then kills it with SIGKILL. */
async function runAndKill(databasePath: string, dataDir: string, clockMs: number): Promise<number> {
  const child = spawn('npx', ['tsx', 'test/fixtures/deadline-crash-child.ts'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, DATABASE_PATH: databasePath, DATA_DIR: dataDir, CLOCK_MS: String(clockMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<number>((resolve) =>
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    }),
  );
  const outcome = await Promise.race([
    ready,
    exited.then((code) => {
      throw new Error(`child exited ${code}: ${err}`);
    }),
  ]);
  process.kill(-child.pid!, 'SIGKILL'); // the whole group: npx, tsx and node
  await exited;
  return outcome;
}

const breaches = (app: TestApp) =>
  app.app.sqlite
    .prepare(
      "SELECT complaint_id AS id, count(*) AS n FROM complaint_events WHERE type = 'first_response_breached' GROUP BY complaint_id",
    )
    .all() as { id: number; n: number }[];

describe('deadlines and SIGKILL', () => {
  it('fires each breach exactly once across a kill during the downtime and a kill right after catching up', {
    timeout: 60_000,
  }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'wc-deadline-crash-'));
    const databasePath = join(dir, 'db.sqlite');
    const dataDir = join(dir, 'data');

    const setup = await makeApp({ databasePath });
    const who = await cast(setup.app);
    const ids = [
      await complaintIn(who, 'forwarded'),
      await complaintIn(who, 'forwarded'),
      await complaintIn(who, 'forwarded'),
    ];
    await setup.close();

    // Killed while nothing was due yet (10 h in): nothing fired, nothing lost.
    expect(await runAndKill(databasePath, dataDir, T0 + 10 * HOUR)).toBe(0);
    // Started 25 h in: it catches up (three breaches, committed), then dies at once.
    expect(await runAndKill(databasePath, dataDir, T0 + 25 * HOUR)).toBe(3);

    // The next start finds them recorded and fires none again.
    t = await makeApp({ databasePath, workers: true });
    t.clock.advance(25 * HOUR);
    expect(breaches(t).sort((a, b) => a.id - b.id)).toEqual(ids.map((id) => ({ id, n: 1 })));
    expect(t.app.sla.tick().processed).toBe(0);
    // Their effects were queued with them; whatever the killed process had not applied yet, this one does, once.
    await t.app.outbox.drain();
    expect(
      t.app.sqlite
        .prepare("SELECT status, count(*) AS n FROM outbox WHERE topic = 'deadline_effects' GROUP BY status")
        .all(),
    ).toEqual([{ status: 'done', n: 3 }]);
    const mails = t.app.sqlite
      .prepare(
        "SELECT count(*) AS n FROM outbox WHERE topic = 'email' AND json_extract(payload, '$.kind') = 'first_response_breached'",
      )
      .get() as { n: number };
    expect(mails.n).toBe(ids.length * 2); // consumer and the one staff member, once each
  });
});
