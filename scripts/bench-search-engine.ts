// In-process benchmark of the SQLite search engine: builds an index of N generated cases in a temporary SQLite file
// (WAL), reports build time, docs/s and file size, then times a fixed query mix with direct calls.
//
//   npx tsx scripts/bench-search-engine.ts [--count 1000000] [--runs 200] [--db /tmp/x.db] [--keep] [--warm]
//
// "cold" is the first call of each query in a freshly opened index (it reads the words' doclists from SQLite);
// p50/p99 are over the --runs calls that follow. --warm first reads every doclist of a word in 1% or more of the
// cases (SqliteSearchIndex.warm), as a server may do at start, and reports what that costs.
// With --db pointing at an existing file built by an earlier run (same --count) the build is skipped, so the query
// mix can be re-run without waiting for the build. The case generator is shared by every benchmark, so figures stay
// comparable between changes: it is spawned, never copied.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aliasesFor } from '../server/modules/search/provider-aliases.ts';
import { SqliteSearchIndex } from '../server/modules/search/sqlite-index.ts';
import type { CaseDoc, SearchQuery } from '../server/modules/search/types.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string' },
    runs: { type: 'string' },
    batch: { type: 'string' },
    db: { type: 'string' },
    keep: { type: 'boolean' },
    warm: { type: 'boolean' },
  },
});
const COUNT = Number(args.count || 1_000_000);
const RUNS = Number(args.runs || 200);
const BATCH = Number(args.batch || 5000);
const SHARED = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'shared', 'bench');
const GENERATOR = existsSync(join(SHARED, 'gen-cases.mjs'))
  ? join(SHARED, 'gen-cases.mjs')
  : '/work/shared/bench/gen-cases.mjs';
const dbPath = args.db || join(tmpdir(), `bench-search-${process.pid}.db`);
const keep = Boolean(args.keep || args.db);

interface GeneratedCase {
  id: number;
  provider: string;
  providerName: string;
  category: string;
  title: string;
  description: string;
  amountFen: number;
  filedAt: string;
  firstResponseHours: number;
  status: string;
  resolution: string | null;
}

export function toCaseDoc(r: GeneratedCase): CaseDoc {
  return {
    id: r.id,
    title: r.title,
    body: `${r.description}。${r.resolution ?? ''}`,
    provider: r.provider,
    providerName: r.providerName,
    providerAliases: aliasesFor(r.provider),
    category: r.category,
    status: r.status,
    amountFen: r.amountFen,
    filedAt: Date.parse(r.filedAt),
    overdue: r.firstResponseHours > 24,
  };
}

const fileSize = (p: string) => [p, `${p}-wal`].reduce((s, f) => s + (existsSync(f) ? statSync(f).size : 0), 0);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

function openDb(): Database.Database {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -262144'); // 256 MB page cache
  return db;
}

async function build(): Promise<void> {
  const db = openDb();
  const index = new SqliteSearchIndex(db);
  await index.init();
  if ((await index.count()) === COUNT) {
    console.log(`reusing ${dbPath} (${COUNT} cases)`);
    db.close();
    return;
  }
  await index.clear();
  const t0 = performance.now();
  const gen = spawn(process.execPath, [GENERATOR, '--count', String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let batch: CaseDoc[] = [];
  let done = 0;
  for await (const line of createInterface({ input: gen.stdout })) {
    if (!line) continue;
    batch.push(toCaseDoc(JSON.parse(line) as GeneratedCase));
    if (batch.length === BATCH) {
      await index.upsert(batch);
      done += batch.length;
      batch = [];
      if (done % 100_000 === 0) console.log(`  ${done} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  await index.upsert(batch);
  done += batch.length;
  const loaded = performance.now();
  index.optimize();
  const optimized = performance.now();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const secs = (optimized - t0) / 1000;
  console.log(
    `build: ${done} cases in ${secs.toFixed(1)} s (load ${((loaded - t0) / 1000).toFixed(1)} s + optimize ${((optimized - loaded) / 1000).toFixed(1)} s)` +
      ` = ${Math.round(done / secs)} docs/s; file ${mb(fileSize(dbPath))}`,
  );
  db.close();
}

function longTailWord(rank: number): string {
  const lines = readFileSync(join(GENERATOR, '..', 'words.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  return lines[rank].split('\t')[0];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function queries(): Promise<void> {
  const db = openDb();
  const index = new SqliteSearchIndex(db);
  const t0 = performance.now();
  await index.init();
  console.log(
    `open: init (load columns, sort time and amount orders) ${(performance.now() - t0).toFixed(0)} ms, ${await index.count()} cases, rss ${mb(process.memoryUsage().rss)}`,
  );
  if (args.warm) {
    const w0 = performance.now();
    const terms = await index.warm();
    console.log(
      `warm: ${terms} doclists in ${(performance.now() - w0).toFixed(0)} ms, ${mb(index.cacheStats.bytes)} cached, rss ${mb(process.memoryUsage().rss)}`,
    );
  }
  const rare = longTailWord(3000);
  const base: SearchQuery = { sort: 'relevance', page: 1, pageSize: 20, facets: true };
  const day = 86_400_000;
  const mix: [string, () => Promise<unknown>][] = [
    ['退款 relevance', () => index.search({ ...base, q: '退款' })],
    ['退款 newest', () => index.search({ ...base, q: '退款', sort: 'newest' })],
    ['退款 newest page 5', () => index.search({ ...base, q: '退款', sort: 'newest', page: 5 })],
    ['冻结 relevance', () => index.search({ ...base, q: '冻结' })],
    ['客服 relevance', () => index.search({ ...base, q: '客服' })],
    [`rare ${rare} relevance`, () => index.search({ ...base, q: rare })],
    [`rare ${rare} newest`, () => index.search({ ...base, q: rare, sort: 'newest' })],
    ['alipay + 退款 relevance', () => index.search({ ...base, q: '退款', provider: 'alipay' })],
    ['ecny + 冻结 newest', () => index.search({ ...base, q: '冻结', provider: 'ecny', sort: 'newest' })],
    ['account-frozen + 冻结 relevance', () => index.search({ ...base, q: '冻结', category: 'account-frozen' })],
    [
      'refund-pending + 客服 newest',
      () => index.search({ ...base, q: '客服', category: 'refund-pending', sort: 'newest' }),
    ],
    ['alias 工行 relevance', () => index.search({ ...base, q: '工行' })],
    ['two terms 微信 冻结 relevance', () => index.search({ ...base, q: '微信 冻结' })],
    // bench-mixed.ts's search mix beside the above
    ['two terms 提现 失败 relevance', () => index.search({ ...base, q: '提现 失败' })],
    ['alias + word 工行 盗刷 relevance', () => index.search({ ...base, q: '工行 盗刷' })],
    ['relaxed 余额 转出 relevance', () => index.search({ ...base, q: '余额 转出' })],
    ['relaxed 余额 转出 newest', () => index.search({ ...base, q: '余额 转出', sort: 'newest' })],
    ['盗刷 relevance', () => index.search({ ...base, q: '盗刷' })],
    ['花呗 relevance', () => index.search({ ...base, q: '花呗' })],
    ['扣款 relevance', () => index.search({ ...base, q: '扣款' })],
    ['数字人民币 relevance', () => index.search({ ...base, q: '数字人民币' })],
    ['no q, newest', () => index.search({ ...base, sort: 'newest' })],
    ['no q, provider wechat-pay', () => index.search({ ...base, provider: 'wechat-pay', sort: 'newest' })],
    [
      'no q, category+status',
      () => index.search({ ...base, category: 'unauthorized-debit', status: 'resolved', sort: 'newest' }),
    ],
    [
      'no q, date range 30 d',
      () => index.search({ ...base, from: Date.UTC(2025, 5, 1), to: Date.UTC(2025, 5, 1) + 30 * day, sort: 'newest' }),
    ],
    [
      'no q, amount 1000-5000 yuan',
      () => index.search({ ...base, amountMin: 100_000, amountMax: 500_000, sort: 'newest' }),
    ],
    [
      'no q, all filters',
      () =>
        index.search({
          ...base,
          provider: 'alipay',
          category: 'refund-pending',
          status: 'resolved',
          from: Date.UTC(2025, 0, 1),
          to: Date.UTC(2026, 0, 1),
          amountMin: 10_000,
          amountMax: 1_000_000,
          sort: 'newest',
        }),
    ],
    [
      'similar (draft)',
      () =>
        index.similar(
          {
            provider: 'alipay',
            category: 'refund-pending',
            title: '支付宝退款一直未到账',
            body: '在美团外卖申请退款128元，商家已同意，支付宝一直显示处理中，客服让我再等等。',
          },
          5,
        ),
    ],
  ];
  console.log(
    `\n${'query'.padEnd(36)} ${'cold ms'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  total`,
  );
  for (const [name, run] of mix) {
    const c0 = performance.now();
    const first = (await run()) as { total?: number } | unknown[];
    const cold = performance.now() - c0;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await run();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const total = Array.isArray(first) ? `${first.length} hits` : String(first.total);
    console.log(
      `${name.padEnd(36)} ${cold.toFixed(1).padStart(8)} ${percentile(times, 50).toFixed(2).padStart(8)}` +
        ` ${percentile(times, 99).toFixed(2).padStart(8)} ${times[times.length - 1].toFixed(2).padStart(8)}  ${total}`,
    );
  }
  const { terms, bytes } = index.cacheStats;
  console.log(`\ncached doclists: ${terms} terms, ${mb(bytes)}; rss ${mb(process.memoryUsage().rss)}`);
  await index.close();
  db.close();
}

await build();
await queries();
if (!keep) for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });
