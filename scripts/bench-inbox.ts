// The merchant inbox at scale: opens DATA_DIR's database (applying pending migrations, timed), takes the provider
// with the most cases, and runs the inbox verbs directly (no HTTP): each tab's first page, its next page, the old
// ?overdue=1 filter, a reference lookup and title searches. Reports p50/p99 per query and every statement's plan.
// Run it on a copy of a big data dir, never on one in service:
//
//   DATA_DIR=/path/to/copy npx tsx scripts/bench-inbox.ts [--runs 300] [--reopen 30000]
//
// --reopen N first sends N of the provider's finished cases back to it (a third each forwarded, in progress and
// awaiting the consumer, deadlines spread over ±8 h, one in seven overdue) in one UPDATE, timed: the generated data
// has no open cases, and this also times the triggers at scale and checks the counts against a fresh count(*).
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { systemClock } from '../server/lib/clock.ts';
import { DEFAULT_FILTERS, TABS, type InboxFilters } from '../server/modules/merchant/input.ts';
import { decodeCursor } from '../server/modules/merchant/cursor.ts';
import { costlyPlanLines, planOf, recordingMerchant } from '../server/modules/merchant/query-plans.ts';
import { fmt } from './bench-lib.ts';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { runs: { type: 'string' }, reopen: { type: 'string' } } });
const RUNS = Number(args.runs) || 300;
const REOPEN = Number(args.reopen) || 0;

const config = loadConfig();
const started = performance.now();
const { sqlite } = openDatabase(config.databasePath);
console.log(`open + migrations: ${fmt(performance.now() - started, 0)} ms (${config.databasePath})`);

const top = sqlite
  .prepare(
    `SELECT provider_id AS id, sum(n) AS n FROM inbox_counts WHERE tab != 'overdue' GROUP BY provider_id ORDER BY n DESC LIMIT 1`,
  )
  .get() as { id: number; n: number };
const name = (sqlite.prepare('SELECT name FROM providers WHERE id = ?').get(top.id) as { name: string }).name;
console.log(`provider ${name} (${top.id}): ${fmt(top.n, 0)} cases visible to its staff`);
if (REOPEN) reopen(top.id, REOPEN);
const ctx = {
  actor: {
    id: 0,
    role: 'provider_staff' as const,
    email: 'bench@example.invalid',
    displayName: 'bench',
    providerId: top.id,
  },
  clock: systemClock,
};
const { service, seen } = recordingMerchant(sqlite);
const counts = service.counts(ctx);
console.log('tab counts:', counts);

const sample = sqlite.prepare(
  'SELECT reference FROM complaints WHERE provider_id = ? AND inbox_tab IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?',
);
const references = Array.from(
  { length: 50 },
  (_, i) => (sample.get(top.id, Math.floor((i * top.n) / 50)) as { reference: string }).reference,
);

const run = (f: Partial<InboxFilters>) => service.inbox(ctx, { ...DEFAULT_FILTERS, ...f });
const cases: [string, () => unknown][] = [];
for (const tab of TABS) {
  cases.push([`${tab}: first page`, () => run({ tab })]);
  const next = run({ tab }).nextCursor;
  if (next) cases.push([`${tab}: next page`, () => run({ tab, cursor: decodeCursor(next) })]);
}
cases.push(['?overdue=1 (old filter)', () => run({ tab: 'overdue', overdue: true })]);
cases.push(['?status=in_progress', () => run({ tab: 'todo', status: 'in_progress' })]);
let r = 0;
cases.push(['reference lookup', () => run({ tab: 'all', q: references[r++ % references.length] })]);
for (const q of ['冻结', '退款', '冻结 退款', '花呗 扣款', '人脸识别']) {
  cases.push([`title: ${q}`, () => run({ tab: 'all', q })]);
  const next = run({ tab: 'all', q }).nextCursor;
  if (next) cases.push([`title: ${q}, next page`, () => run({ tab: 'all', q, cursor: decodeCursor(next) })]);
}
for (const tab of ['todo', 'overdue', 'consumer', 'closed'] as const)
  cases.push([`title: 退款 in ${tab}`, () => run({ tab, q: '退款' })]);
cases.push(['counts only', () => service.counts(ctx)]);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
console.log(`\n${RUNS} runs each (ms)            p50     p99     max   rows`);
for (const [label, fn] of cases) {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const out = fn() as { rows?: unknown[] };
    times.push(performance.now() - t0);
    rows = out.rows?.length ?? 0;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(28)} ${fmt(pct(times, 0.5), 2).padStart(7)} ${fmt(pct(times, 0.99), 2).padStart(7)} ${fmt(times.at(-1)!, 2).padStart(7)} ${String(rows).padStart(6)}`,
  );
}

const distinct = new Map(seen.map((q) => [q.sql, q]));
let costly = 0;
console.log(`\nplans of the ${distinct.size} distinct statements:`);
for (const q of distinct.values()) {
  const plan = planOf(sqlite, q);
  costly += costlyPlanLines(plan).length;
  console.log(`- ${q.sql.replace(/\s+/g, ' ').slice(0, 160)}\n    ${plan.join('\n    ')}`);
}
console.log(costly ? `\n${costly} costly plan lines (full scan or temp B-tree)` : '\nno full scan, no temp B-tree');
sqlite.close();

function reopen(providerId: number, n: number) {
  const now = Date.now();
  const t0 = performance.now();
  const changed = sqlite
    .prepare(`UPDATE complaints SET
      status = CASE id % 3 WHEN 0 THEN 'forwarded' WHEN 1 THEN 'in_progress' ELSE 'awaiting_consumer' END,
      first_response_at = CASE id % 3 WHEN 0 THEN NULL ELSE @now - 3600000 END,
      first_response_due_at = @now + (id % 960 - 480) * 60000, resolution_due_at = @now + (id % 960) * 60000,
      first_response_breached_at = CASE WHEN id % 7 = 0 THEN @now END,
      resolution_paused_at = CASE id % 3 WHEN 2 THEN @now END, auto_close_at = CASE id % 3 WHEN 2 THEN @now + (id % 10080) * 60000 END,
      resolved_at = NULL, closed_at = NULL
    WHERE id IN (SELECT id FROM complaints WHERE provider_id = @providerId AND inbox_tab = 'closed' ORDER BY id DESC LIMIT @n)`)
    .run({ now, providerId, n }).changes;
  console.log(
    `reopened ${fmt(changed, 0)} cases in one UPDATE (triggers included): ${fmt(performance.now() - t0, 0)} ms`,
  );
  const fresh = sqlite
    .prepare(`SELECT inbox_tab AS tab, count(*) AS n FROM complaints WHERE provider_id = ? AND inbox_tab IS NOT NULL GROUP BY inbox_tab
    UNION ALL SELECT 'overdue', count(*) FROM complaints WHERE provider_id = ? AND inbox_overdue IS NOT NULL`)
    .all(providerId, providerId) as { tab: string; n: number }[];
  const kept = sqlite.prepare('SELECT tab, n FROM inbox_counts WHERE provider_id = ?').all(providerId) as {
    tab: string;
    n: number;
  }[];
  const same = fresh.every((f) => (kept.find((k) => k.tab === f.tab)?.n ?? 0) === f.n);
  console.log(
    `trigger-kept counts ${same ? 'equal' : 'DIFFER FROM'} a fresh count(*):`,
    Object.fromEntries(fresh.map((f) => [f.tab, f.n])),
  );
}
