// Deadlines survive restarts: the app on a temporary SQLite file is closed, time passes while it is down, and the
// next start catches up: each breach due during the downtime fires exactly once, however often the app restarts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { TestClock } from '../../server/lib/clock.ts';
import { T0 } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { HOUR } from '../helpers/lifecycle.ts';
import { cast, complaintIn } from '../helpers/lifecycle.ts';

let dir: string;
let clock: TestClock;
let app: FastifyInstance | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wc-restart-'));
  clock = new TestClock(() => T0, T0);
});
afterEach(async () => {
  await app?.close();
  app = null;
  rmSync(dir, { recursive: true, force: true });
});

async function start(workers: boolean): Promise<FastifyInstance> {
  const a = await buildApp(
    testConfig({
      dataDir: dir,
      databasePath: join(dir, 'complaints.sqlite'),
      uploadDir: join(dir, 'uploads'),
      workers,
    }),
    { clock },
  );
  await a.ready();
  return a;
}

const count = (a: FastifyInstance, sql: string, ...args: unknown[]) =>
  (a.sqlite.prepare(sql).get(...args) as { n: number }).n;

describe('deadlines across restarts', () => {
  it('a breach due while the process was down fires exactly once after restart', async () => {
    app = await start(false);
    const who = await cast(app);
    const ids = [
      await complaintIn(who, 'forwarded'),
      await complaintIn(who, 'forwarded'),
      await complaintIn(who, 'in_progress'),
    ];
    await app.close();
    app = null;

    clock.advance(30 * HOUR); // down for 30 hours: two first-response breaches and one resolution warning fell due

    app = await start(true); // on start, the scheduler catches up
    await app.outbox.drain(); // and the worker applies the breaches' effects (mails, board)
    const breaches = (a: FastifyInstance) =>
      count(a, "SELECT count(*) AS n FROM complaint_events WHERE type = 'first_response_breached'");
    expect(breaches(app)).toBe(2);
    for (const id of ids.slice(0, 2)) {
      expect(count(app, 'SELECT first_response_breached_at AS n FROM complaints WHERE id = ?', id)).toBe(
        T0 + 24 * HOUR,
      );
      expect(
        count(
          app,
          "SELECT count(*) AS n FROM outbox WHERE topic = 'email' AND complaint_id = ? AND json_extract(payload, '$.kind') = 'first_response_breached'",
          id,
        ),
      ).toBeGreaterThanOrEqual(2);
    }
    expect(count(app, 'SELECT first_response_breached_at IS NULL AS n FROM complaints WHERE id = ?', ids[2])).toBe(1);
    const mailsAfterFirst = count(app, "SELECT count(*) AS n FROM outbox WHERE topic = 'email'");
    await app.close();
    app = null;

    app = await start(true); // and again: nothing fires twice
    await app.outbox.drain();
    expect(breaches(app)).toBe(2);
    expect(app.sla.tick().processed).toBe(0);
    expect(count(app, "SELECT count(*) AS n FROM outbox WHERE topic = 'email'")).toBe(mailsAfterFirst);

    // The consumer still reads it as overdue through the API after the restart.
    const c = new Client(app);
    await c.post('/api/v1/auth/login', { email: who.consumer.email, password: 'correct-horse-1' });
    expect((await c.get(`/api/v1/complaints/${ids[0]}`)).json().deadlines.overdue).toBe(true);
  });

  it('two processes ticking the same database fire each breach once', async () => {
    app = await start(false);
    const who = await cast(app);
    const id = await complaintIn(who, 'forwarded');
    clock.advance(25 * HOUR);
    const second = await start(false); // another process on the same file
    try {
      const a = app.sla.tick();
      const b = second.sla.tick();
      expect(a.fired.first_response_breach + b.fired.first_response_breach).toBe(1);
      expect(
        count(
          app,
          "SELECT count(*) AS n FROM complaint_events WHERE complaint_id = ? AND type = 'first_response_breached'",
          id,
        ),
      ).toBe(1);
    } finally {
      await second.close();
    }
  });
});
