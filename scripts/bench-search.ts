// Board benchmark over HTTP: generates N cases with the shared generator, imports them (npm run import:cases), rebuilds
// the index (npm run reindex), starts the real app in a child process (RATE_LIMITS=off, LOG_LEVEL=warn) and a bare
// fastify hello route, then measures with autocannon:
//   - GET /api/v1/cases?… p50/p99 for a fixed query mix (a common term in ~30% of cases, rare long-tail terms from
//     words.tsv, provider + term, category + term, no query + filters), each query on its own;
//   - GET /cases/:id (the public case page, over many ids) req/s against the bare route, in the same run.
// Reports import rows/s, build and reindex times, and the database size.
//
//   npx tsx scripts/bench-search.ts [--count 1000000] [--dir /tmp/bench-board-<count>] [--reuse] [--skip-reindex]
//     [--duration 8] [--connections 4] [--page-connections 50]
// --reuse keeps an existing database (no generation, no import); --skip-reindex also keeps its index.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, fmt, startBare, startService, stop, waitFor } from './bench-lib.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string' },
    dir: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'page-connections': { type: 'string' },
    reuse: { type: 'boolean' },
    'skip-reindex': { type: 'boolean' },
  },
});
const COUNT = Number(args.count || 1_000_000);
const DIR = args.dir || `/tmp/bench-board-${COUNT}`;
const DURATION = Number(args.duration || 8);
const CONNECTIONS = Number(args.connections || 4);
const PAGE_CONNECTIONS = Number(args['page-connections'] || 50);
const SHARED = existsSync(join(ROOT, '..', 'shared', 'bench'))
  ? join(ROOT, '..', 'shared', 'bench')
  : '/work/shared/bench';
const env = { DATA_DIR: DIR, SESSION_SECRET: 'b'.repeat(64), LOG_LEVEL: 'warn' };

function run(
  cmd: string,
  argv: string[],
  opts: { env?: Record<string, string>; stdout?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', opts.stdout ? 'pipe' : 'pipe', 'inherit'],
    });
    let out = '';
    if (opts.stdout) child.stdout!.pipe(createWriteStream(opts.stdout));
    else
      child.stdout!.on('data', (d) => {
        out += d;
      });
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(' ')} exited ${code}`)),
    );
  });
}
const tsx = (script: string, argv: string[] = []) =>
  run(process.execPath, ['--import', 'tsx', join(ROOT, script), ...argv], { env });
const lastJson = (out: string) =>
  JSON.parse(
    out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .at(-1)!,
  );

/** Words from the long tail of the generator's vocabulary: each is in a small share of the cases. */
function rareWords(n: number): string[] {
  const words = readFileSync(join(SHARED, 'words.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t')[0]);
  const picks = [2000, 3500, 5000, 6500, 7900].slice(0, n);
  return picks.map((rank) => words[rank]).filter(Boolean);
}

interface Row {
  name: string;
  path: string;
  total: number;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function measure(base: string, name: string, path: string): Promise<Row> {
  const first = await fetch(base + path);
  if (!first.ok) throw new Error(`${path}: ${first.status} ${await first.text()}`);
  const total = ((await first.json()) as { total: number }).total;
  await autocannon({ url: base + path, connections: CONNECTIONS, duration: 2 }); // warm-up
  const r = await autocannon({ url: base + path, connections: CONNECTIONS, duration: DURATION });
  return {
    name,
    path,
    total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    errors: r.errors + r.non2xx,
  };
}

async function main() {
  mkdirSync(DIR, { recursive: true });
  const dbPath = join(DIR, 'complaints.sqlite');
  const jsonl = join(DIR, `cases-${COUNT}.jsonl`);
  let importResult: Record<string, number> | null = null;
  if (!(args.reuse && existsSync(dbPath))) {
    if (!existsSync(jsonl)) {
      console.error(`generating ${fmt(COUNT, 0)} cases -> ${jsonl}`);
      await run(process.execPath, [join(SHARED, 'gen-cases.mjs'), '--count', String(COUNT)], { stdout: jsonl });
    }
    console.error('importing (npm run import:cases) …');
    importResult = lastJson(await tsx('scripts/import-cases.ts', [jsonl]));
  }
  let reindex = null;
  if (!args['skip-reindex']) {
    console.error('rebuilding the index (npm run reindex) …');
    reindex = lastJson(await tsx('scripts/reindex.ts'));
  }
  const dbBytes = ['', '-wal'].reduce((s, x) => s + (existsSync(dbPath + x) ? statSync(dbPath + x).size : 0), 0);

  const appPort = 3900 + (process.pid % 50);
  const barePort = appPort + 60;
  const app = startService(appPort, env);
  const bare = startBare(barePort);
  const base = `http://127.0.0.1:${appPort}`;
  try {
    const t0 = performance.now();
    await waitFor(`${base}/readyz`, 600_000); // ready, not only alive: start-up work may still hold the loop
    const startupSeconds = (performance.now() - t0) / 1000;
    await waitFor(`http://127.0.0.1:${barePort}/`);
    const q = (s: string) => encodeURIComponent(s);
    const mix: [string, string][] = [
      ['common term 退款', `/api/v1/cases?q=${q('退款')}`],
      ['common term 退款, newest', `/api/v1/cases?q=${q('退款')}&sort=newest`],
      ...rareWords(5).map((w): [string, string] => [`rare term ${w}`, `/api/v1/cases?q=${q(w)}`]),
      ['two terms 冻结 提现', `/api/v1/cases?q=${q('冻结 提现')}`],
      ['provider + term alipay 冻结', `/api/v1/cases?provider=alipay&q=${q('冻结')}`],
      ['provider + term wechat-pay 退款', `/api/v1/cases?provider=wechat-pay&q=${q('退款')}`],
      ['alias 工行 + term 盗刷', `/api/v1/cases?q=${q('工行 盗刷')}`],
      ['alias 支付宝 + term 冻结', `/api/v1/cases?q=${q('支付宝 冻结')}`],
      ['alias only 工行', `/api/v1/cases?q=${q('工行')}`],
      ['product word 花呗', `/api/v1/cases?q=${q('花呗')}`],
      ['category + term unauthorized-debit 盗刷', `/api/v1/cases?category=unauthorized-debit&q=${q('盗刷')}`],
      ['category + term account-frozen 提现', `/api/v1/cases?category=account-frozen&q=${q('提现')}`],
      ['no query, provider + status', '/api/v1/cases?provider=icbc-wallet&status=resolved'],
      [
        'no query, category + amount + dates',
        '/api/v1/cases?category=refund-pending&amountMin=100000&from=2025-01-01&to=2025-12-31',
      ],
      ['no query, newest page 50', '/api/v1/cases?page=50'],
    ];
    const rows: Row[] = [];
    for (const [name, path] of mix) {
      const row = await measure(base, name, path);
      rows.push(row);
      console.error(
        `${name.padEnd(44)} total ${String(row.total).padStart(8)}  p50 ${String(row.p50).padStart(4)} ms  p99 ${String(row.p99).padStart(4)} ms  ${fmt(row.rps, 0)} req/s`,
      );
    }

    // Case pages over many ids, against a bare fastify route, same connections and duration.
    // Popular cases (100 ids: pages kept for anonymous readers serve them) and the long tail (10,000 ids, more than
    // the 2,000 pages kept: most requests render the page).
    const idsOf = async (page: number) =>
      (
        (await (await fetch(`${base}/api/v1/cases?pageSize=100&page=${page}`)).json()) as { items: { id: number }[] }
      ).items.map((h) => h.id);
    const hot = await idsOf(7);
    const tail: number[] = [];
    for (let p = 1; p <= 100; p++) tail.push(...(await idsOf(p)));
    const pageRun = (ids: number[]) =>
      autocannon({
        url: base,
        connections: PAGE_CONNECTIONS,
        duration: DURATION,
        headers: { accept: 'text/html' },
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({ ...req, path: `/cases/${ids[Math.floor(Math.random() * ids.length)]}` }),
          },
        ],
      });
    await pageRun(hot);
    const page = await pageRun(hot);
    const tailPage = await pageRun(tail);
    await autocannon({ url: `http://127.0.0.1:${barePort}/`, connections: PAGE_CONNECTIONS, duration: 2 });
    const hello = await autocannon({
      url: `http://127.0.0.1:${barePort}/`,
      connections: PAGE_CONNECTIONS,
      duration: DURATION,
    });
    const result = {
      count: COUNT,
      import: importResult,
      reindex,
      startupSeconds: +startupSeconds.toFixed(1),
      databaseMB: Math.round(dbBytes / 1024 / 1024),
      queries: rows.map(({ name, total, p50, p99, rps, errors }) => ({
        name,
        total,
        p50,
        p99,
        rps: Math.round(rps),
        errors,
      })),
      casePage: {
        rps: Math.round(page.requests.average),
        p50: page.latency.p50,
        p99: page.latency.p99,
        errors: page.errors + page.non2xx,
      },
      casePageLongTail: {
        ids: tail.length,
        rps: Math.round(tailPage.requests.average),
        p50: tailPage.latency.p50,
        p99: tailPage.latency.p99,
        errors: tailPage.errors + tailPage.non2xx,
      },
      bareHello: { rps: Math.round(hello.requests.average) },
      casePageShareOfBare: +(page.requests.average / hello.requests.average).toFixed(3),
      targets: {
        queriesP99Under50: rows.every((r) => r.p99 < 50),
        queriesP50Under10: rows.every((r) => r.p50 < 10),
        casePageAtLeastQuarterOfBare: page.requests.average >= 0.25 * hello.requests.average,
      },
    };
    console.error(
      `case page ${fmt(page.requests.average, 0)} req/s (p99 ${page.latency.p99} ms) vs bare fastify ${fmt(hello.requests.average, 0)} req/s = ${(result.casePageShareOfBare * 100).toFixed(1)}%; ` +
        `long tail of ${tail.length} cases ${fmt(tailPage.requests.average, 0)} req/s (p99 ${tailPage.latency.p99} ms)`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await stop(app);
    await stop(bare);
  }
}

await main();
