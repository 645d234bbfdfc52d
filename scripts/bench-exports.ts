// Open data at scale. Reports figures, asserts nothing.
//
//   npx tsx scripts/bench-exports.ts --data DIR --build-only [--out DIR]
//     builds the whole-board files (cases.csv, cases.jsonl) from DIR/complaints.sqlite in the export worker thread,
//     opening the database read-only, and reports the build time and the file sizes (written to --out, default a
//     temporary folder, removed afterwards unless --out is given).
//   npx tsx scripts/bench-exports.ts --data DIR
//     starts the app on DIR (WORKERS=off, RATE_LIMITS=off: it writes only what a start writes), runs filtered exports
//     over HTTP while /healthz is probed every 20 ms: per export its time, bytes and headers, the slowest /healthz
//     answer, the event loop's delay (p99, max) and how busy the main thread was during it; then builds the files.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { systemClock } from '../server/lib/clock.ts';
import { ExportFiles } from '../server/modules/board/export-files.ts';

const { values: args } = parseArgs({
  options: { data: { type: 'string' }, out: { type: 'string' }, 'build-only': { type: 'boolean' } },
});
const dataDir = resolve(args.data ?? './data');
const databasePath = join(dataDir, 'complaints.sqlite');
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function startBuild(out: string) {
  const files = new ExportFiles({
    databasePath,
    dir: out,
    baseUrl: 'http://localhost:3000',
    rebuildMs: 3600_000,
    clock: systemClock,
    onError: (m) => console.error('build failed:', m),
  });
  const t0 = performance.now();
  files.start();
  const keepAlive = setInterval(() => {}, 1000); // the thread is unreferenced (a server keeps the app's process alive)
  return {
    files,
    done: files
      .settled()
      .then((meta) => ({ meta, wallMs: performance.now() - t0 }))
      .finally(() => clearInterval(keepAlive)),
  };
}

if (args['build-only']) {
  const out = args.out ? resolve(args.out) : mkdtempSync(join(tmpdir(), 'exports-bench-'));
  const { files, done } = startBuild(out);
  const { meta, wallMs } = await done;
  await files.stop();
  if (!meta) throw new Error('no files built');
  console.log(
    JSON.stringify({
      rows: meta.rows,
      csv: mb(meta.csvBytes),
      jsonl: mb(meta.jsonlBytes),
      buildSeconds: +(meta.buildMs / 1000).toFixed(1),
      wallSeconds: +(wallMs / 1000).toFixed(1),
      out,
    }),
  );
  if (!args.out) rmSync(out, { recursive: true, force: true });
  process.exit(0);
}

const app = await buildApp(
  loadConfig({ ...process.env, DATA_DIR: dataDir, WORKERS: '0', RATE_LIMITS: 'off', LOG_LEVEL: 'warn' }),
);
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;

function get(path: string): Promise<{ status: number; bytes: number; ms: number; headers: Record<string, unknown> }> {
  const t0 = performance.now();
  return new Promise((ok, fail) => {
    request({ host: '127.0.0.1', port, path: encodeURI(path) }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0, headers: res.headers }));
    })
      .on('error', fail)
      .end();
  });
}

/** Runs fn while /healthz is asked every 20 ms; returns the slowest answer and the event loop's delay meanwhile. */
async function underProbe<T>(fn: () => Promise<T>) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const busy0 = performance.eventLoopUtilization();
  let slowest = 0;
  let running = true;
  const probe = (async () => {
    while (running) {
      slowest = Math.max(slowest, (await get('/healthz')).ms);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const result = await fn();
  running = false;
  await probe;
  loop.disable();
  // The share of the time the main thread was busy (the probe itself included): what an export takes from everyone else.
  const busy = performance.eventLoopUtilization(busy0);
  return {
    result,
    healthzMaxMs: +slowest.toFixed(1),
    mainBusyMs: Math.round(busy.active),
    mainBusyShare: +busy.utilization.toFixed(2),
    loopP99Ms: +(loop.percentile(99) / 1e6).toFixed(1),
    loopMaxMs: +(loop.max / 1e6).toFixed(1),
  };
}

// Ready first (the search warm-up done), so the first export does not pay for it.
while ((await get('/readyz')).status !== 200) await new Promise((r) => setTimeout(r, 200));
// The exports first, alone; then the whole-board build (its thread would compete for the same cores meanwhile).
for (const path of [
  '/api/v1/cases.csv?provider=alipay',
  '/api/v1/cases.jsonl?provider=wechat-pay&status=resolved',
  '/api/v1/cases.csv?category=privacy&amountMin=100000',
  '/api/v1/cases.csv?q=退款',
  '/api/v1/cases.csv?from=2026-01-01&to=2026-01-31',
]) {
  const { result: r, ...probe } = await underProbe(() => get(path));
  console.log(
    JSON.stringify({
      path,
      status: r.status,
      seconds: +(r.ms / 1000).toFixed(2),
      size: mb(r.bytes),
      limit: r.headers['x-export-limit'],
      truncated: r.headers['x-export-truncated'],
      total: r.headers['x-total-count'] ?? null,
      ...probe,
    }),
  );
}
const out = mkdtempSync(join(tmpdir(), 'exports-bench-'));
const build = startBuild(out);
const { result: built, ...probe } = await underProbe(() => build.done);
console.log(
  JSON.stringify({
    wholeBoardFiles: built.meta && {
      rows: built.meta.rows,
      csv: mb(built.meta.csvBytes),
      jsonl: mb(built.meta.jsonlBytes),
      buildSeconds: +(built.meta.buildMs / 1000).toFixed(1),
    },
    whileWaitingForIt: probe,
  }),
);
await build.files.stop();
rmSync(out, { recursive: true, force: true });
await app.close();
