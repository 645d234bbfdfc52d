// Warm start over HTTP: the first query of each common word, and the first similar(), right after start, with the
// search warm-up off (SEARCH_WARM=off) and on (after waiting for it to end), then the same requests again (warm).
// While the warm-up runs, /healthz is polled every 10 ms: its slowest answer is the event loop's longest stall.
// The service runs as a child process on an existing data dir (WORKERS=off, RATE_LIMITS=off, 127.0.0.1) and is sent
// only reads and similar() drafts; the common words come from the index's own vocabulary (opened read-only).
//
//   npx tsx scripts/bench-warm.ts --dir /work/bench1m/data [--words 20] [--port 3991] [--timeout 180]
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { queryTerms } from '../server/modules/search/segment.ts';
import { ROOT, fmt, stop } from './bench-lib.ts';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    words: { type: 'string' },
    port: { type: 'string' },
    timeout: { type: 'string' },
  },
});
const DIR = args.dir;
if (!DIR) {
  console.error('usage: npx tsx scripts/bench-warm.ts --dir <DATA_DIR> [--words 20] [--port 3991] [--timeout 180]');
  process.exit(2);
}
const WORDS = Number(args.words || 20);
const PORT = Number(args.port || 3991);
const TIMEOUT_MS = Number(args.timeout || 180) * 1000;
const BASE = `http://127.0.0.1:${PORT}`;

// The commonest words as the index holds them (fts5vocab), kept when a query for the word is that one word.
const db = new Database(join(DIR, 'complaints.sqlite'), { readonly: true, fileMustExist: true });
const minDoc = Math.floor((db.prepare('SELECT count(*) FROM search_doc').pluck().get() as number) / 100);
const words = (
  db.prepare('SELECT term FROM search_vocab WHERE doc >= ? ORDER BY doc DESC').pluck().all(minDoc) as string[]
)
  .filter((t) => t.length >= 2 && /\p{Script=Han}/u.test(t) && queryTerms(t).join() === t)
  .slice(0, WORDS);
const maxId = db.prepare('SELECT max(id) FROM search_doc').pluck().get() as number;
const caseIds = [0.2, 0.5, 0.9].map(
  (f) =>
    db
      .prepare('SELECT complaint_id FROM public_cases WHERE complaint_id >= ? LIMIT 1')
      .pluck()
      .get(Math.floor(maxId * f)) as number,
);
db.close();
const DRAFTS = [
  {
    provider: '支付宝',
    title: '花呗自动扣款后退款一直没有到账',
    description: '上个月花呗自动扣款两次，联系客服说会退款，但是七个工作日过去了钱还没有退回，客服电话一直打不通。',
  },
  {
    provider: '微信',
    title: '零钱通账户被冻结无法提现',
    description: '账户突然被冻结，提示存在风险交易，提交了身份证明材料后仍然无法解冻，余额无法提现。',
  },
];

interface Timed {
  label: string;
  ms: number;
}
const timed = async (label: string, f: () => Promise<Response>): Promise<Timed> => {
  const t0 = performance.now();
  const res = await f();
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${label}: HTTP ${res.status}`);
  return { label, ms: performance.now() - t0 };
};

async function queries(csrf: { token: string; cookie: string }): Promise<Timed[]> {
  const out: Timed[] = [];
  for (const w of words) out.push(await timed(w, () => fetch(`${BASE}/api/v1/cases?q=${encodeURIComponent(w)}`)));
  for (const id of caseIds)
    out.push(await timed(`GET similar #${id}`, () => fetch(`${BASE}/api/v1/cases/${id}/similar`)));
  for (const [i, d] of DRAFTS.entries()) {
    out.push(
      await timed(`POST similar ${i + 1}`, () =>
        fetch(`${BASE}/api/v1/similar`, {
          method: 'POST',
          body: JSON.stringify(d),
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf.token, cookie: csrf.cookie },
        }),
      ),
    );
  }
  return out;
}

/** Starts the service; resolves with the child, the time until /healthz answered, and the warm-up's end (if on). */
async function start(warm: boolean) {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      DATA_DIR: DIR!,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      RATE_LIMITS: 'off',
      WORKERS: 'off',
      LOG_LEVEL: 'info',
      SEARCH_WARM: warm ? 'on' : 'off',
    },
  });
  const warmEnded = new Promise<Record<string, number | string>>((resolve) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.includes('search warm-up ended')) resolve(JSON.parse(line).warm);
      }
    });
  });
  const until = Date.now() + TIMEOUT_MS;
  for (;;) {
    if (Date.now() > until || child.exitCode !== null) {
      await stop(child);
      throw new Error('the service did not come up');
    }
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, startMs: performance.now() - t0, warmEnded };
}

async function csrfOf(): Promise<{ token: string; cookie: string }> {
  const res = await fetch(`${BASE}/api/v1/auth/csrf`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { token: ((await res.json()) as { token: string }).token, cookie };
}

/** Polls /healthz every 10 ms until `done` settles: how long a request waited while the warm-up ran. */
async function pollDuring(done: Promise<unknown>) {
  let finished = false;
  void done.then(() => {
    finished = true;
  });
  const lat: number[] = [];
  const until = Date.now() + TIMEOUT_MS;
  while (!finished && Date.now() < until) {
    const t0 = performance.now();
    await (await fetch(`${BASE}/healthz`)).arrayBuffer();
    lat.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!finished) throw new Error('the warm-up did not end in time');
  lat.sort((a, b) => a - b);
  return {
    polls: lat.length,
    p50: lat[lat.length >> 1] ?? 0,
    p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
    max: lat.at(-1) ?? 0,
  };
}

const rss = (child: ChildProcess) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const summary = (xs: Timed[]) => {
  const s = xs.map((x) => x.ms).sort((a, b) => a - b);
  return `median ${fmt(s[s.length >> 1])} ms, max ${fmt(s.at(-1)!)} ms`;
};

console.log(
  `data: ${DIR}; ${words.length} common words: ${words.join(' ')}; similar of cases ${caseIds.join(', ')} and ${DRAFTS.length} drafts`,
);
const results: Record<string, Timed[]> = {};

{
  // (a) warm-up off: the first requests pay for reading the lists
  const { child, startMs } = await start(false);
  try {
    const csrf = await csrfOf();
    console.log(`(a) SEARCH_WARM=off: up in ${fmt(startMs, 0)} ms, rss ${fmt(rss(child), 0)} MB`);
    const idle = await pollDuring(new Promise((r) => setTimeout(r, 3000)));
    console.log(
      `    baseline, /healthz every 10 ms for 3 s with nothing running: p50 ${fmt(idle.p50)} ms, p99 ${fmt(idle.p99)} ms, max ${fmt(idle.max)} ms`,
    );
    results['a: first (off)'] = await queries(csrf);
    results['a: again (warm)'] = await queries(csrf);
    console.log(`    rss after the queries ${fmt(rss(child), 0)} MB`);
  } finally {
    await stop(child);
  }
}
{
  // (b) warm-up on: wait for it (polling /healthz), then the same first requests
  const { child, startMs, warmEnded } = await start(true);
  try {
    const poll = await pollDuring(warmEnded);
    const status = await warmEnded;
    console.log(
      `(b) SEARCH_WARM=on: up in ${fmt(startMs, 0)} ms; warm-up ${JSON.stringify(status)}; rss ${fmt(rss(child), 0)} MB`,
    );
    console.log(
      `    /healthz every 10 ms during the warm-up: ${poll.polls} polls, p50 ${fmt(poll.p50)} ms, p99 ${fmt(poll.p99)} ms, max ${fmt(poll.max)} ms`,
    );
    const csrf = await csrfOf();
    results['b: first (after warm-up)'] = await queries(csrf);
    results['b: again (warm)'] = await queries(csrf);
  } finally {
    await stop(child);
  }
}

const runs = Object.keys(results);
console.log(`\n${'request'.padEnd(22)}${runs.map((r) => r.padStart(26)).join('')}`);
for (const [i, row] of results[runs[0]].entries())
  console.log(`${row.label.padEnd(22)}${runs.map((r) => `${fmt(results[r][i].ms)} ms`.padStart(26)).join('')}`);
const split = (xs: Timed[]) => [xs.slice(0, words.length), xs.slice(words.length)];
for (const r of runs) {
  const [w, s] = split(results[r]);
  console.log(`${r}: words ${summary(w)}; similar ${summary(s)}`);
}
