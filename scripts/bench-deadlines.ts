// Deadline scheduler cost on a realistic database: N open complaints (default 1,000,000) with the shared generator's
// titles and descriptions, the timeline the lifecycle writes (submitted, approve, the portal delivery, warnings,
// replies, proposals), their public_cases rows and scorecard contributions (built through the board's own refresh),
// and a million finished outbox rows behind them. TICKS groups of DUE complaints (default 5 x 1,000) fall due a minute
// apart (test clock): per group, half first-response breaches, three tenths resolution warnings, a fifth auto-closes. The first
// tick runs right after a restart on the file (cold caches); the others a minute apart each (warm). Each tick is the
// real scheduler's (app.sla.tick(): index scan, guarded flag updates, timeline events, board refresh, search sync and
// e-mail notifications into the outbox, one transaction). Then idle ticks and the next-wake read.
//
//   npm run bench:deadlines -- [--complaints 1000000] [--due 1000] [--ticks 5] [--dir /tmp/bench-deadlines-<N>] [--reuse]
//     [--idle-ms 1000]
// --idle-ms is the wall time the service idles after the worker has applied a tick's effects, standing in for the
// rest of the minute before the next group falls due (0: the next tick at once).
// --reuse starts from the database a previous run built in --dir for the same options (copied, so every run starts
// from the same state).
// BENCH_BREAKDOWN=1 also reports the time spent in the change hooks (board) and in notifications.
import { spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';
import { TestClock } from '../server/lib/clock.ts';
import { systemCtx } from '../server/lib/ctx.ts';
import { ROOT, fmt } from './bench-lib.ts';
import { ProgressBar } from './progress-bar.ts';

const { values } = parseArgs({
  options: {
    complaints: { type: 'string', default: '1000000' },
    due: { type: 'string', default: '1000' },
    ticks: { type: 'string', default: '5' },
    dir: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    'idle-ms': { type: 'string', default: '1000' },
  },
});
const IDLE_MS = Number(values['idle-ms']);
const N = Number(values.complaints);
const DUE = Number(values.due);
const TICKS = Number(values.ticks);
if (!(N >= DUE * TICKS && DUE > 0 && TICKS >= 2))
  throw new Error('need --complaints >= --due x --ticks, --due > 0 and --ticks >= 2');
const DIR = values.dir ?? `/tmp/bench-deadlines-${N}`;
const PRISTINE = join(DIR, 'pristine.sqlite');
const DB = join(DIR, 'complaints.sqlite');
const SHARED = existsSync(join(ROOT, '..', 'shared', 'bench'))
  ? join(ROOT, '..', 'shared', 'bench')
  : '/work/shared/bench';

const H = 3600_000;
const DAY = 24 * H;
const GAP = 60_000;
const NOW = Date.UTC(2026, 10, 20, 2, 0, 0);
const clock = new TestClock(() => NOW, NOW);
const config = testConfig({ dataDir: DIR, databasePath: DB, uploadDir: join(DIR, 'uploads'), workers: false });

// A deterministic pseudo-random sequence, so runs are comparable.
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

type Clocks = {
  status: 'forwarded' | 'in_progress' | 'awaiting_consumer';
  forwardedAt: number;
  firstResponseAt: number | null;
  frDue: number;
  resDue: number;
  frWarned: number | null;
  pausedAt: number | null;
  pausedMs: number;
  autoClose: number | null;
  next: number;
};

/** Not due during the run: new cases before their warning, cases in progress (some after long pauses), cases awaiting
 *  the consumer for up to a week. */
function future(): Clocks {
  const after = NOW + TICKS * GAP;
  const kind = rand();
  if (kind < 1 / 3) {
    const f = after - 19.2 * H + rand() * 19 * H;
    return {
      status: 'forwarded',
      forwardedAt: f,
      firstResponseAt: null,
      frDue: f + 24 * H,
      resDue: f + 48 * H,
      frWarned: null,
      pausedAt: null,
      pausedMs: 0,
      autoClose: null,
      next: f + 19.2 * H,
    };
  }
  if (kind < 2 / 3) {
    const f = after - 38.4 * H + rand() * 38 * H;
    const pausedMs = Math.round(rand() * 21 * DAY);
    const due = f + 48 * H + pausedMs;
    return {
      status: 'in_progress',
      forwardedAt: f,
      firstResponseAt: f + H,
      frDue: f + 24 * H,
      resDue: due,
      frWarned: null,
      pausedAt: null,
      pausedMs,
      autoClose: null,
      next: due - 0.2 * 48 * H,
    };
  }
  const close = after + rand() * 7 * DAY;
  const proposed = close - 7 * DAY;
  const f = proposed - 2 * H - rand() * 20 * H;
  return {
    status: 'awaiting_consumer',
    forwardedAt: f,
    firstResponseAt: f + H,
    frDue: f + 24 * H,
    resDue: f + 48 * H,
    frWarned: null,
    pausedAt: proposed,
    pausedMs: 0,
    autoClose: close,
    next: close,
  };
}

/** Falls due at `at`: half first-response breaches (already warned), three tenths resolution warnings, a fifth auto-closes. */
function dueAt(i: number, at: number): Clocks {
  const k = i % 10;
  if (k < 5) {
    const f = at - 24 * H;
    return {
      status: 'forwarded',
      forwardedAt: f,
      firstResponseAt: null,
      frDue: at,
      resDue: f + 48 * H,
      frWarned: f + 19.2 * H,
      pausedAt: null,
      pausedMs: 0,
      autoClose: null,
      next: at,
    };
  }
  if (k < 8) {
    const f = at - 38.4 * H;
    return {
      status: 'in_progress',
      forwardedAt: f,
      firstResponseAt: f + H,
      frDue: f + 24 * H,
      resDue: f + 48 * H,
      frWarned: null,
      pausedAt: null,
      pausedMs: 0,
      autoClose: null,
      next: at,
    };
  }
  const f = at - 7 * DAY - 30 * H;
  return {
    status: 'awaiting_consumer',
    forwardedAt: f,
    firstResponseAt: f + H,
    frDue: f + 24 * H,
    resDue: f + 48 * H,
    frWarned: null,
    pausedAt: at - 7 * DAY,
    pausedMs: 0,
    autoClose: at,
    next: at,
  };
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
}

interface GeneratedCase {
  provider: string;
  providerName: string;
  category: string;
  title: string;
  description: string;
  amountFen: number;
  resolution: string | null;
}

/** The generator's cases, one parsed line at a time. */
async function* generatedCases(count: number): AsyncGenerator<GeneratedCase> {
  const child = spawn(process.execPath, [join(SHARED, 'gen-cases.mjs'), '--count', String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout!, crlfDelay: Infinity })) {
    if (line) yield JSON.parse(line) as GeneratedCase;
  }
}

async function build(): Promise<number> {
  const t0 = performance.now();
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const app = await buildApp(config, { clock });
  await app.ready();
  const sqlite = app.sqlite;
  sqlite.pragma('cache_size = -262144');
  const insertUser =
    sqlite.prepare(`INSERT INTO users (email, password_hash, display_name, real_name, role, provider_id, created_at, updated_at)
    VALUES (?, 'x', ?, ?, ?, ?, ?, ?)`);
  const insertProvider =
    sqlite.prepare(`INSERT INTO providers (slug, name, aliases, hotline, contact_source, last_verified_at, verified, website, created_at, updated_at)
    VALUES (?, ?, '[]', NULL, '基准测试数据', NULL, 0, NULL, ?, ?)`);
  const providerIds = new Map(
    (sqlite.prepare('SELECT slug, id FROM providers').all() as { slug: string; id: number }[]).map((r) => [
      r.slug,
      r.id,
    ]),
  );
  const addStaff = (providerId: number) => {
    for (let k = 0; k < 2; k++)
      insertUser.run(`staff${providerId}-${k}@bench.example`, '客服', null, 'provider_staff', providerId, NOW, NOW);
  };
  const userIds: number[] = [];
  const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
  sqlite.transaction(() => {
    for (let i = 0; i < 1000; i++) {
      userIds.push(
        Number(
          insertUser.run(
            `consumer${i}@bench.example`,
            `用户${i}`,
            `${SURNAMES[i % 10]}${'伟芳娜敏静丽强磊军洋'[((i / 10) % 10) | 0]}`,
            'consumer',
            null,
            NOW,
            NOW,
          ).lastInsertRowid,
        ),
      );
    }
    for (const id of providerIds.values()) addStaff(id);
  })();
  const providerOf = (slug: string, name: string) => {
    let id = providerIds.get(slug);
    if (id === undefined) {
      id = Number(insertProvider.run(slug, name, NOW, NOW).lastInsertRowid);
      providerIds.set(slug, id);
      addStaff(id);
    }
    return id;
  };

  const insertComplaint =
    sqlite.prepare(`INSERT INTO complaints (reference, user_id, provider_id, category, title, description, demands, amount_fen,
      consent, status, created_at, updated_at, forwarded_at, first_response_at, first_response_due_at, resolution_due_at, first_response_warned_at,
      resolution_paused_at, resolution_paused_ms, auto_close_at, next_deadline_at)
    VALUES (?, ?, ?, ?, ?, ?, '["refund"]', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent =
    sqlite.prepare(`INSERT INTO complaint_events (complaint_id, type, actor_role, actor_id, body, status, data, internal, created_at)
    VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)`);
  const ctx = systemCtx(clock);
  const r = (x: number) => Math.round(x);
  const bar = new ProgressBar('构建基准数据', N);
  const dueEvery = Math.floor(N / (TICKS * DUE));
  let d = 0;
  let i = 0;
  let batch: [number, GeneratedCase][] = [];
  const flush = sqlite.transaction(() => {
    for (const [n, g] of batch) {
      const isDue = d < TICKS * DUE && n % dueEvery === 0;
      const group = isDue ? d % TICKS : -1;
      const c = isDue
        ? dueAt((d++ / TICKS) | 0, group === 0 ? NOW - rand() * H : NOW + (group - 1) * GAP + 1 + rand() * (GAP - 1))
        : future();
      const created = c.forwardedAt - H;
      const providerId = providerOf(g.provider, g.providerName);
      const consent = n % 7 === 0 ? 'private' : 'public';
      const id = Number(
        insertComplaint.run(
          `B${String(n).padStart(8, '0')}`,
          userIds[n % userIds.length],
          providerId,
          g.category,
          g.title,
          g.description,
          g.amountFen,
          consent,
          c.status,
          r(created),
          r(created),
          r(c.forwardedAt),
          c.firstResponseAt === null ? null : r(c.firstResponseAt),
          r(c.frDue),
          r(c.resDue),
          c.frWarned === null ? null : r(c.frWarned),
          c.pausedAt === null ? null : r(c.pausedAt),
          c.pausedMs,
          c.autoClose === null ? null : r(c.autoClose),
          r(c.next),
        ).lastInsertRowid,
      );
      insertEvent.run(id, 'submitted', 'consumer', null, 'submitted', '{"attachments":0}', 0, r(created));
      insertEvent.run(id, 'approve', 'admin', null, 'forwarded', null, 0, r(c.forwardedAt));
      insertEvent.run(
        id,
        'delivery',
        'system',
        `已转交 ${g.providerName}（商家工作台）`,
        null,
        '{"channel":"portal","result":"delivered"}',
        0,
        r(c.forwardedAt),
      );
      if (c.frWarned !== null)
        insertEvent.run(id, 'first_response_warning', 'system', null, 'forwarded', null, 1, r(c.frWarned));
      if (c.firstResponseAt !== null)
        insertEvent.run(
          id,
          'reply',
          'provider_staff',
          '您好，已收到您的投诉，我们正在核实处理，请耐心等待。',
          'in_progress',
          null,
          0,
          r(c.firstResponseAt),
        );
      if (c.status === 'awaiting_consumer') {
        insertEvent.run(
          id,
          'propose_resolution',
          'provider_staff',
          g.resolution ?? '已为您办理退款，款项将原路退回。',
          'awaiting_consumer',
          null,
          0,
          r(c.pausedAt!),
        );
      }
      app.board.refresh(app.db, ctx, id); // public row, scorecard contribution and a search-sync row, as the lifecycle leaves them
    }
  });
  for await (const g of generatedCases(N)) {
    batch.push([i++, g]);
    if (batch.length === 5000) {
      flush();
      bar.tick(batch.length);
      batch = [];
    }
  }
  flush();
  bar.tick(batch.length);
  bar.finish();
  // The search index was kept in step long ago: those outbox rows are history now.
  sqlite
    .prepare("UPDATE outbox SET status = 'done', attempts = 1, done_at = created_at WHERE status = 'pending'")
    .run();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await app.close();
  copyFileSync(DB, PRISTINE);
  fsyncFile(PRISTINE);
  writeFileSync(SHAPE, shape);
  return performance.now() - t0;
}

// A reused database must have been built for the same figures: which complaints fall due when is in its rows.
const SHAPE = join(DIR, 'shape.json');
const shape = JSON.stringify({ N, DUE, TICKS, NOW });
const reused = values.reuse && existsSync(PRISTINE) && existsSync(SHAPE) && readFileSync(SHAPE, 'utf8') === shape;
if (values.reuse && !reused) console.error(`no database for these options in ${DIR}: building one`);
const builtMs = reused ? 0 : await build();
copyFileSync(PRISTINE, DB);
rmSync(`${DB}-wal`, { force: true });
rmSync(`${DB}-shm`, { force: true });
rmSync(join(DIR, 'mail-outbox.log'), { force: true });
// The copy is gigabytes of dirty page cache: written out now, so the kernel's writeback does not compete with the ticks.
fsyncFile(DB);

// Start on the file, as a real process would find it after a restart.
const app = await buildApp(config, { clock });
await app.ready();
const count = (sql: string, ...args: unknown[]) => (app.sqlite.prepare(sql).get(...args) as { n: number }).n;
const open = count(
  "SELECT count(*) AS n FROM complaints WHERE status IN ('forwarded', 'in_progress', 'awaiting_consumer')",
);
const events0 = count('SELECT count(*) AS n FROM complaint_events');
const outbox0 = count('SELECT count(*) AS n FROM outbox');
const public0 = count('SELECT count(*) AS n FROM public_cases');
const lastOutboxId = count('SELECT coalesce(max(id), 0) AS n FROM outbox');
const plan = (
  app.sqlite
    .prepare(
      'EXPLAIN QUERY PLAN SELECT * FROM complaints WHERE next_deadline_at <= ? ORDER BY next_deadline_at LIMIT 1000',
    )
    .all(NOW) as { detail: string }[]
)
  .map((row) => row.detail)
  .join('; ');

// Optional breakdown: time spent in other modules' change hooks and in notifications (they run as the queued effects).
const spent = { hooks: 0, notify: 0 };
if (process.env.BENCH_BREAKDOWN) {
  const h = app.complaintHooks;
  const run = h.run.bind(h);
  h.run = (...a: Parameters<typeof run>) => {
    const s0 = performance.now();
    try {
      return run(...a);
    } finally {
      spent.hooks += performance.now() - s0;
    }
  };
  const n = app.notifications;
  const notify = n.notify.bind(n);
  n.notify = (...a: Parameters<typeof notify>) => {
    const s0 = performance.now();
    try {
      return notify(...a);
    } finally {
      spent.notify += performance.now() - s0;
    }
  };
}

// After each tick the outbox worker applies what it queued (board, search index, mails to the mail log), as it would
// in the running service; timed apart from the tick.
const ticks: {
  ms: number;
  processed: number;
  failed: number;
  fired: Record<string, number>;
  hooks: number;
  notify: number;
  drainMs: number;
  drained: number;
}[] = [];
for (let g = 0; g < TICKS; g++) {
  if (g > 0) clock.advance(GAP);
  spent.hooks = 0;
  spent.notify = 0;
  const s0 = performance.now();
  const r = app.sla.tick();
  const ms = performance.now() - s0;
  const d0 = performance.now();
  const drained = await app.outbox.drain();
  // The rest of the minute: the service idles until the next group falls due (and the checkpointer catches up).
  await new Promise((r) => setTimeout(r, IDLE_MS));
  ticks.push({ ms, ...r, hooks: spent.hooks, notify: spent.notify, drainMs: performance.now() - d0, drained });
}

const idle: number[] = [];
for (let k = 0; k < 50; k++) {
  const s = performance.now();
  const r = app.sla.tick();
  idle.push(performance.now() - s);
  if (r.processed !== 0) throw new Error('an idle tick processed something');
}
idle.sort((a, b) => a - b);
const s = performance.now();
const nextDue = app.sla.nextDue();
const nextDueMs = performance.now() - s;

const events = count('SELECT count(*) AS n FROM complaint_events') - events0;
const mails = count("SELECT count(*) AS n FROM outbox WHERE topic = 'email' AND id > ?", lastOutboxId);
const syncs = count("SELECT count(*) AS n FROM outbox WHERE topic = 'search_sync' AND id > ?", lastOutboxId);
const fileMb = statSync(DB).size / 1024 / 1024;
await app.close();

console.log(
  `data set: ${fmt(N)} complaints (${fmt(open)} open, ${fmt(public0)} on the board), ${fmt(events0)} timeline events, ${fmt(outbox0)} outbox rows; ` +
    `${TICKS} groups of ${DUE} due a minute apart (${IDLE_MS} ms idle between them); ${reused ? `reused ${PRISTINE}` : `built in ${(builtMs / 1000).toFixed(0)} s`}; file ${fileMb.toFixed(0)} MB`,
);
console.log(`due query plan: ${plan}`);
ticks.forEach((x, g) => {
  const breakdown = process.env.BENCH_BREAKDOWN
    ? ` (of which change hooks ${x.hooks.toFixed(0)} ms, notifications ${x.notify.toFixed(0)} ms)`
    : '';
  console.log(
    `busy tick ${g + 1}${g === 0 ? ' (first after start)' : ''}: ${x.ms.toFixed(1)} ms for ${x.processed} complaints; fired ${JSON.stringify(x.fired)}, failed ${x.failed}; ` +
      `then the outbox applied and sent ${fmt(x.drained)} rows in ${fmt(x.drainMs, 0)} ms${breakdown}`,
  );
});
const warm = ticks
  .slice(1)
  .map((x) => x.ms)
  .sort((a, b) => a - b);
console.log(
  `busy tick: first after start ${ticks[0].ms.toFixed(1)} ms; warm median ${warm[warm.length >> 1].toFixed(1)} ms, max ${warm.at(-1)!.toFixed(1)} ms   [target < 200 ms]`,
);
console.log(
  `written by the ticks and their effects: ${fmt(events)} timeline events, ${fmt(mails)} e-mails and ${fmt(syncs)} search syncs`,
);
console.log(
  `idle tick: median ${idle[25].toFixed(3)} ms, max ${idle[49].toFixed(3)} ms over 50 ticks   [target < 5 ms]`,
);
console.log(
  `next wake (min(next_deadline_at)): ${nextDueMs.toFixed(3)} ms -> in ${((nextDue! - clock.now()) / 60_000).toFixed(1)} min`,
);
