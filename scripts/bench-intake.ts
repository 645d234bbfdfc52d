// Intake throughput: autocannon against POST /api/v1/complaints (JSON, logged-in session) and against a bare
// fastify route, same settings, same run. Afterwards every acknowledged complaint must be in the database.
// Usage: npm run bench:intake -- [--connections 50] [--duration 10]
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from './bench-client.ts';
import { fmt, startBare, startService, stop, waitFor } from './bench-lib.ts';

const { values } = parseArgs({
  options: { connections: { type: 'string', default: '50' }, duration: { type: 'string', default: '10' } },
});
const connections = Number(values.connections);
const duration = Number(values.duration);
const dataDir = mkdtempSync(join(tmpdir(), 'bench-intake-'));
const APP_PORT = 3811;
const BARE_PORT = 3812;

const app = startService(APP_PORT, { DATA_DIR: dataDir });
const bare = startBare(BARE_PORT);
try {
  await waitFor(`http://127.0.0.1:${APP_PORT}/readyz`);
  await waitFor(`http://127.0.0.1:${BARE_PORT}/`);

  // Register a consumer the way any client does: CSRF token, then register (the client fetches the token again).
  const consumer = new Client(`http://127.0.0.1:${APP_PORT}`);
  await consumer.register('bench@example.com', 'bench-password-1');

  const body = JSON.stringify({
    provider: 'alipay',
    category: 'refund-pending',
    title: '支付宝退款一直未到账',
    description: '我在11月1日申请了退款，商家已经同意，但支付宝一直显示处理中，客服让我继续等待，已经超过承诺时间。',
    demands: ['refund'],
    amountFen: 56978,
    incidentDate: '2026-11-01',
    consent: 'public',
  });
  const run = (opts: autocannon.Options) => autocannon({ connections, duration, ...opts });

  const bareResult = await run({ url: `http://127.0.0.1:${BARE_PORT}/` });
  // Every 201 carries the new complaint's id: collect them to check each one against the database afterwards.
  const acknowledgedIds: number[] = [];
  const intake = await run({
    url: `http://127.0.0.1:${APP_PORT}/api/v1/complaints`,
    requests: [
      {
        method: 'POST',
        body,
        headers: consumer.headers({ 'content-type': 'application/json' }),
        onResponse: (status: number, resBody: string) => {
          if (status === 201) acknowledgedIds.push(JSON.parse(resBody).id);
        },
      },
    ],
  });
  await stop(app);

  const db = new Database(join(dataDir, 'complaints.sqlite'), { readonly: true });
  const stored = (db.prepare('SELECT count(*) AS n FROM complaints').get() as { n: number }).n;
  const has = db.prepare('SELECT 1 FROM complaints WHERE id = ?').pluck();
  const missing = acknowledgedIds.filter((id) => !has.get(id)).length;
  db.close();
  const acknowledged = acknowledgedIds.length;
  const ratio = intake.requests.average / bareResult.requests.average;
  console.log(`\nconnections=${connections} duration=${duration}s`);
  console.log(
    `bare fastify GET /          : ${fmt(bareResult.requests.average)} req/s, p99 ${bareResult.latency.p99} ms`,
  );
  console.log(
    `POST /api/v1/complaints     : ${fmt(intake.requests.average)} req/s, p99 ${intake.latency.p99} ms, non-2xx ${intake.non2xx}, errors ${intake.errors}`,
  );
  console.log(`ratio intake/bare           : ${fmt(ratio * 100)} % (target >= 10 %)`);
  console.log(`p99 target (< 50 ms)        : ${intake.latency.p99 < 50 ? 'met' : 'MISSED'}`);
  // Requests still in flight when autocannon stops may commit without being counted, so stored >= acknowledged.
  console.log(
    `acknowledged (201) = ${acknowledged}, rows in database = ${stored}, acknowledged but missing = ${missing}: ${missing === 0 ? 'every acknowledged complaint is stored' : 'LOST COMPLAINTS'}`,
  );
  if (missing > 0 || intake.non2xx > 0) process.exitCode = 1;
} finally {
  await stop(app);
  await stop(bare);
  rmSync(dataDir, { recursive: true, force: true });
}
