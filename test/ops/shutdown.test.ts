// SIGTERM against the real server in a child process: it stops accepting, answers the request in flight, cuts the
// upload that stalled once the grace period is over, checkpoints and closes the database, and exits 0.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { rawConnect, type RawClient } from './sockets.ts';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

/** Headers and the first half of a JSON body; `Expect: 100-continue` makes the server say it has the request. */
async function halfPost(port: number, body: string): Promise<RawClient> {
  const c = await rawConnect(port);
  c.socket.write(
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
  );
  await expect.poll(() => c.received(), { timeout: 10_000 }).toContain('100 Continue');
  c.socket.write(body.slice(0, body.length >> 1));
  return c;
}

it('SIGTERM: the request in flight gets its answer, the stalled upload is cut after the grace period, exit 0', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wc-shutdown-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '3000',
      RATE_LIMITS: 'off',
      // What is tested is shutdown, not overload: a machine busy with the rest of the suite must not turn the
      // in-flight request into a 503 (the pressure tests set their own limits).
      MAX_EVENT_LOOP_DELAY_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await expect
      .poll(() => /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out), { timeout: 30_000, interval: 100 })
      .toBeTruthy();
    const port = Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);

    const body = JSON.stringify({ email: 'someone@example.com', password: 'correct horse battery' });
    const stalled = await halfPost(port, body);
    const inFlight = await halfPost(port, body);
    const order: string[] = [];
    void stalled.closed.then(() => order.push('stalled closed'));

    child.kill('SIGTERM');
    await expect.poll(() => refused(port), { timeout: 10_000, interval: 50 }).toBe(true); // no longer accepting

    inFlight.socket.write(body.slice(body.length >> 1));
    await expect
      .poll(() => inFlight.received().split('\r\n\r\n').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    order.push('in-flight answered');
    const answer = inFlight.received().slice(inFlight.received().indexOf('\r\n\r\n') + 4);
    expect(answer).toMatch(/^HTTP\/1\.1 4\d\d/); // the app's own answer (CSRF: no session), not a reset
    expect(answer).toContain('"error"');

    expect(await exited).toBe(0);
    await stalled.closed;
    expect(order).toEqual(['in-flight answered', 'stalled closed']);
    expect(out).toContain('shutdown grace period over');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  // Closed cleanly: the WAL was checkpointed into the file, which is whole.
  const wal = join(dir, 'complaints.sqlite-wal');
  expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  const db = new Database(join(dir, 'complaints.sqlite'), { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
}, 90_000);
