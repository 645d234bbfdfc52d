// A process killed (SIGKILL) in the middle of sending: after a restart on the same file every delivery completes,
// and the receiver processes each exactly once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { consumer, fileComplaint } from '../helpers/factories.ts';
import { providerWith } from '../forwarding/setup.ts';
import { webhookReceiver, type WebhookReceiver } from '../forwarding/receivers.ts';

const SECRET = 'whsec_0123456789abcdef';
let t: TestApp | null = null;
let rx: WebhookReceiver | null = null;
let dir = '';
afterEach(async () => {
  await t?.close();
  t = null;
  await rx?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('deliveries in flight when the process is killed complete exactly once after restart', {
  timeout: 60_000,
}, async () => {
  dir = mkdtempSync(join(tmpdir(), 'wc-crash-'));
  const databasePath = join(dir, 'db.sqlite');
  const dataDir = join(dir, 'data');

  // 1. Deliveries planned and committed, nothing sent yet.
  const setup = await makeApp({ databasePath });
  rx = await webhookReceiver({ secret: SECRET, now: () => T0 });
  rx.behaviour = (n) => (n === 1 ? 'stall' : 'ok');
  const p = await providerWith(setup.app, { webhook: { url: rx.url, secret: SECRET } });
  const c = await consumer(setup.app);
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) ids.push((await fileComplaint(c, { provider: p.slug })).id);
  setup.app.db.transaction((tx) => {
    for (const id of ids) setup.app.forwarding.planDeliveries(tx, { actor: null, clock: setup.clock }, id);
  });
  await setup.close();

  // 2. A child process starts sending; the receiver stalls the first request; the child is killed mid-way.
  const child = spawn('npx', ['tsx', 'test/fixtures/outbox-crash-child.ts'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, DATABASE_PATH: databasePath, DATA_DIR: dataDir, CLOCK_MS: String(T0) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const outcome = await Promise.race([
    rx.stalled.then(() => 'stalled'),
    exited.then((code) => `exited ${code}: ${stderr}`),
  ]);
  expect(outcome).toBe('stalled');
  process.kill(-child.pid!, 'SIGKILL'); // the whole group: npx, tsx and node
  await exited;
  const stalledKey = String(rx.requests[0]!.headers['idempotency-key']);

  // 3. Restart on the same file with the worker on. The killed claim is taken over once its lease expires.
  t = await makeApp({ databasePath, workers: true });
  const webhookRows = () =>
    t!.app.sqlite
      .prepare("SELECT id, idempotency_key AS key, status FROM outbox WHERE channel = 'webhook' ORDER BY id")
      .all() as { id: number; key: string; status: string }[];
  expect(webhookRows().find((r) => r.key === stalledKey)!.status).toBe('sending');
  t.clock.advance(t.app.config.outbox.leaseMs);
  await vi.waitFor(() => expect(webhookRows().map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done']), {
    timeout: 10_000,
  });

  // Every delivery processed exactly once by the receiver; the stalled one was sent twice with the same key.
  expect(rx.processed.size).toBe(5);
  expect([...rx.processed.values()].every((n) => n === 1)).toBe(true);
  expect(rx.requests.filter((r) => r.headers['idempotency-key'] === stalledKey)).toHaveLength(2);
  const stalledId = webhookRows().find((r) => r.key === stalledKey)!.id;
  const attempts = t.app.sqlite
    .prepare('SELECT attempt, ok, detail FROM outbox_attempts WHERE outbox_id = ? ORDER BY attempt')
    .all(stalledId) as { attempt: number; ok: number; detail: string }[];
  expect(attempts.map((a) => [a.attempt, a.ok])).toEqual([
    [1, 0],
    [2, 1],
  ]);
  expect(attempts[0]!.detail).toMatch(/^中断/);
});
