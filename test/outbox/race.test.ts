// Two app instances on the same SQLite file, both draining at once: every delivery is claimed by one of them and
// reaches the receiver exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { consumer, fileComplaint } from '../helpers/factories.ts';
import { providerWith } from '../forwarding/setup.ts';
import { webhookReceiver, type WebhookReceiver } from '../forwarding/receivers.ts';

const SECRET = 'whsec_0123456789abcdef';
let apps: TestApp[] = [];
let rx: WebhookReceiver | null = null;
let dir = '';
afterEach(async () => {
  for (const a of apps) await a.close();
  apps = [];
  await rx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('two workers racing over the same deliveries: each is sent once', async () => {
  dir = mkdtempSync(join(tmpdir(), 'wc-race-'));
  const databasePath = join(dir, 'db.sqlite');
  const outbox = { ...testConfig().outbox, batchSize: 4 };
  const a = await makeApp({ databasePath, outbox });
  const b = await makeApp({ databasePath, outbox });
  apps = [a, b];
  rx = await webhookReceiver({ secret: SECRET, now: () => a.clock.now() });
  const p = await providerWith(a.app, { webhook: { url: rx.url, secret: SECRET } });
  const c = await consumer(a.app);
  // Only the deliveries race here: the verification mail sent at registration is not one of them.
  a.app.sqlite.prepare("DELETE FROM outbox WHERE channel = 'account'").run();
  const ids: number[] = [];
  for (let i = 0; i < 30; i++)
    ids.push((await fileComplaint(c, { provider: p.slug, title: `第 ${i} 件：支付宝退款一直未到账` })).id);
  a.app.db.transaction((tx) => {
    for (const id of ids) a.app.forwarding.planDeliveries(tx, { actor: null, clock: a.clock }, id);
  });

  const [na, nb] = await Promise.all([a.app.outbox.drain(), b.app.outbox.drain()]);
  expect(na + nb).toBe(30);
  expect(na).toBeGreaterThan(0); // both really took part
  expect(nb).toBeGreaterThan(0);

  expect(rx.requests).toHaveLength(30);
  const perKey = new Map<string, number>();
  for (const r of rx.requests)
    perKey.set(String(r.headers['idempotency-key']), (perKey.get(String(r.headers['idempotency-key'])) ?? 0) + 1);
  expect(perKey.size).toBe(30);
  expect([...perKey.values()].every((n) => n === 1)).toBe(true);
  const rows = a.app.sqlite
    .prepare("SELECT status, attempts, claimed_by FROM outbox WHERE channel = 'webhook'")
    .all() as { status: string; attempts: number }[];
  expect(rows).toHaveLength(30);
  expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
  const attemptRows = a.app.sqlite
    .prepare("SELECT count(*) FROM outbox_attempts JOIN outbox ON outbox.id = outbox_id WHERE channel = 'webhook'")
    .pluck()
    .get();
  expect(attemptRows).toBe(30);
});
