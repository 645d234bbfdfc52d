// Deadline scheduler cost: a temporary SQLite file with N open complaints (default 1,000,000) whose deadlines are
// spread over the coming weeks, of which DUE (default 1,000) have fallen due: first-response breaches, resolution
// warnings and auto-closes. Times one tick of the real scheduler (app.sla.tick(): index scan, guarded updates,
// timeline events, hooks, e-mail notifications into the outbox) and then idle ticks.
// Usage: npm run bench:deadlines -- [--complaints 1000000] [--due 1000] [--keep]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';
import { TestClock } from '../server/lib/clock.ts';

const { values } = parseArgs({ options: { complaints: { type: 'string', default: '1000000' }, due: { type: 'string', default: '1000' }, keep: { type: 'boolean', default: false } } });
const N = Number(values.complaints);
const DUE = Number(values.due);
const H = 3600_000;
const DAY = 24 * H;
const NOW = Date.UTC(2026, 10, 20, 2, 0, 0);

const dir = mkdtempSync(join(tmpdir(), 'bench-deadlines-'));
const dbPath = join(dir, 'complaints.sqlite');
const clock = new TestClock(() => NOW, NOW);
const config = testConfig({ dataDir: dir, databasePath: dbPath, uploadDir: join(dir, 'uploads'), workers: false });
let app = await buildApp(config, { clock });
await app.ready();

// A deterministic pseudo-random sequence, so runs are comparable.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

// ---- Build the data set: users, staff for every provider, N complaints in one transaction ----------------------
const t0 = performance.now();
const sqlite = app.sqlite;
const providerIds = (sqlite.prepare('SELECT id FROM providers').all() as { id: number }[]).map((r) => r.id);
const insertUser = sqlite.prepare(`INSERT INTO users (email, password_hash, display_name, role, provider_id, created_at, updated_at)
  VALUES (?, 'x', ?, ?, ?, ?, ?)`);
const userIds: number[] = [];
sqlite.transaction(() => {
  for (let i = 0; i < 1000; i++) userIds.push(Number(insertUser.run(`consumer${i}@bench.example`, `用户${i}`, 'consumer', null, NOW, NOW).lastInsertRowid));
  for (const p of providerIds) for (let k = 0; k < 2; k++) insertUser.run(`staff${p}-${k}@bench.example`, '客服', 'provider_staff', p, NOW, NOW);
})();

const insert = sqlite.prepare(`INSERT INTO complaints (reference, user_id, provider_id, category, title, description, demands, consent, status,
  created_at, updated_at, forwarded_at, first_response_at, first_response_due_at, resolution_due_at, first_response_warned_at,
  resolution_warned_at, resolution_paused_at, resolution_paused_ms, auto_close_at, next_deadline_at)
  VALUES (?, ?, ?, 'refund-pending', '退款一直未到账', '申请退款后一直显示处理中。', '["refund"]', 'public', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

type Row = [status: string, forwardedAt: number, firstResponseAt: number | null, frDue: number, resDue: number, frWarned: number | null,
  resWarned: number | null, pausedAt: number | null, pausedMs: number, autoClose: number | null, next: number];

/** Not due yet, spread over the coming weeks: new cases before their warning, cases in progress (some after long
 *  pauses), cases awaiting the consumer up to a week. */
function future(): Row {
  const kind = rand();
  if (kind < 1 / 3) {
    const f = NOW + 2 * GAP - 19.2 * H + rand() * 19 * H;
    return ['forwarded', f, null, f + 24 * H, f + 48 * H, null, null, null, 0, null, f + 19.2 * H];
  }
  if (kind < 2 / 3) {
    const f = NOW + 2 * GAP - 38.4 * H + rand() * 38 * H;
    const paused = Math.round(rand() * 21 * DAY);
    const due = f + 48 * H + paused;
    return ['in_progress', f, f + H, f + 24 * H, due, null, null, null, paused, null, due - 0.2 * 48 * H];
  }
  const f = NOW - 30 * H;
  const close = NOW + 2 * GAP + rand() * 7 * DAY;
  return ['awaiting_consumer', f, f + H, f + 24 * H, f + 48 * H, null, null, close - 7 * DAY, 0, close, close];
}

/** A complaint whose next deadline falls due at `at`: half first-response breaches (already warned), three tenths
 *  resolution warnings, a fifth auto-closes. */
function dueAt(i: number, at: number): Row {
  const k = i % 10;
  if (k < 5) {
    const f = at - 24 * H;
    return ['forwarded', f, null, at, f + 48 * H, f + 19.2 * H, null, null, 0, null, at];
  }
  if (k < 8) {
    const f = at - 38.4 * H;
    return ['in_progress', f, f + H, f + 24 * H, f + 48 * H, null, null, null, 0, null, at];
  }
  const f = at - 7 * DAY - 30 * H;
  return ['awaiting_consumer', f, f + H, f + 24 * H, f + 48 * H, null, null, at - 7 * DAY, 0, at, at];
}

// Two groups of DUE: one due now (the first tick after start, cold), one due a minute later (a warm tick).
const GAP = 60_000;
const dueEvery = Math.floor(N / (2 * DUE));
sqlite.transaction(() => {
  let d = 0;
  for (let i = 0; i < N; i++) {
    const isDue = d < 2 * DUE && i % dueEvery === 0;
    const r = isDue ? dueAt(d >> 1, (d++ % 2 === 0 ? NOW - rand() * H : NOW + 1 + rand() * (GAP - 1))) : future();
    const created = r[1] - H;
    insert.run(`B${String(i).padStart(8, '0')}`, userIds[i % userIds.length], providerIds[i % providerIds.length], r[0], created, created,
      Math.round(r[1]), r[2] === null ? null : Math.round(r[2]), Math.round(r[3]), Math.round(r[4]), r[5], r[6],
      r[7] === null ? null : Math.round(r[7]), r[8], r[9] === null ? null : Math.round(r[9]), Math.round(r[10]));
  }
})();
sqlite.pragma('wal_checkpoint(TRUNCATE)');
const built = performance.now() - t0;

// Restart on the file, as a real process would find it.
await app.close();
app = await buildApp(config, { clock });
await app.ready();

const count = (sql: string) => (app.sqlite.prepare(sql).get() as { n: number }).n;
const open = count("SELECT count(*) AS n FROM complaints WHERE status IN ('forwarded', 'in_progress', 'awaiting_consumer')");
const dueNow = (app.sqlite.prepare('SELECT count(*) AS n FROM complaints WHERE next_deadline_at <= ?').get(NOW) as { n: number }).n;
const dueLater = (app.sqlite.prepare('SELECT count(*) AS n FROM complaints WHERE next_deadline_at <= ?').get(NOW + GAP) as { n: number }).n - dueNow;
const plan = (app.sqlite.prepare('EXPLAIN QUERY PLAN SELECT * FROM complaints WHERE next_deadline_at <= ? ORDER BY next_deadline_at LIMIT 500').all(NOW) as { detail: string }[])
  .map((r) => r.detail).join('; ');

// Optional breakdown: time spent in other modules' change hooks and in notifications, inside the tick.
const spent = { hooks: 0, notify: 0 };
if (process.env.BENCH_BREAKDOWN) {
  const h = app.complaintHooks;
  const run = h.run.bind(h);
  h.run = (...a: Parameters<typeof run>) => { const s0 = performance.now(); try { return run(...a); } finally { spent.hooks += performance.now() - s0; } };
  const n = app.notifications;
  const notify = n.notify.bind(n);
  n.notify = (...a: Parameters<typeof notify>) => { const s0 = performance.now(); try { return notify(...a); } finally { spent.notify += performance.now() - s0; } };
}
function timedTick() {
  spent.hooks = 0; spent.notify = 0;
  const s0 = performance.now();
  const r = app.sla.tick();
  return { r, ms: performance.now() - s0, hooks: spent.hooks, notify: spent.notify };
}
const cold = timedTick();
clock.advance(GAP);
const warm = timedTick();

const idle: number[] = [];
for (let i = 0; i < 50; i++) {
  const s = performance.now();
  const r = app.sla.tick();
  idle.push(performance.now() - s);
  if (r.processed !== 0) throw new Error('an idle tick processed something');
}
idle.sort((a, b) => a - b);
const s = performance.now();
const nextDue = app.sla.nextDue();
const nextDueMs = performance.now() - s;

const events = count("SELECT count(*) AS n FROM complaint_events WHERE actor_role = 'system'");
const mails = count("SELECT count(*) AS n FROM outbox WHERE topic = 'email'");
const fileMb = statSync(dbPath).size / 1024 / 1024;
await app.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });

console.log(`data set: ${N.toLocaleString('en')} complaints (${open.toLocaleString('en')} open), ${dueNow} due at the first tick, ${dueLater} a minute later; built in ${(built / 1000).toFixed(1)} s; file ${fileMb.toFixed(0)} MB`);
console.log(`due query plan: ${plan}`);
for (const [name, x] of [['first tick after start', cold], ['next tick (warm)', warm]] as const) {
  const breakdown = process.env.BENCH_BREAKDOWN ? ` (of which change hooks ${x.hooks.toFixed(1)} ms, notifications ${x.notify.toFixed(1)} ms)` : '';
  console.log(`busy tick, ${name}: ${x.ms.toFixed(1)} ms for ${x.r.processed} complaints${breakdown}; fired ${JSON.stringify(x.r.fired)}, failed ${x.r.failed}   [target < 200 ms]`);
}
console.log(`written: ${events} timeline events, ${mails} e-mails queued`);
console.log(`idle tick: median ${idle[25].toFixed(3)} ms, max ${idle[49].toFixed(3)} ms over 50 ticks   [target < 5 ms]`);
console.log(`next wake (min(next_deadline_at)): ${nextDueMs.toFixed(3)} ms -> in ${((nextDue! - NOW) / 60_000).toFixed(1)} min`);
if (values.keep) console.log(`kept: ${dbPath}`);
