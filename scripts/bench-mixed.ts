// Mixed load on a built board (npm run import:cases, 1,000,000 cases): for DURATION seconds at once, readers (search
// mix, case pages, similar cases), filers, merchants (inbox, open, reply), one full export download and one filtered
// export looping, slow clients trickling bytes, and the service's own deadline scheduler and outbox worker. Reports per
// route class req/s, p50, p99 and errors; /healthz p99; the server's event-loop delay (from /readyz) and its RSS.
// Targets (issue 8): p99 < 100 ms for every interactive class and /healthz p99 < 50 ms while exports and slow clients
// run; event-loop delay max < 50 ms; RSS < 1 GB.
//
//   npx tsx scripts/bench-mixed.ts --dir /path/to/built/data [--duration 60] [--in-place] [--readers 12]
//     [--reader-think 100] [--filers 20] [--filer-think 3000] [--merchants 10] [--merchant-think 2000] [--slow 30]
//     [--profile DIR [--profile-interval 10000]] [--node-flag=--trace-gc] [--lockstep] [--accounts-first]
//     [--clients-policy batch|normal]
// Each client's pause between requests is drawn uniformly from half to one and a half times its think time (the mean
// is the think time), and each client starts at a random point of its first pause: people do not arrive together.
// With fixed pauses and one start (--lockstep, how this benchmark ran until 2026-12-02) the 12 readers move in step,
// in waves of a dozen requests every ~110 ms, and a /healthz probe landing in a wave waits for all of them.
// The built data dir is copied to <dir>-mixed first (filings and replies change it) unless --in-place. Start the
// service on the built dir once beforehand so migrations are applied and the whole-board export files exist.
// The export downloads and slow clients run in a second process (bench-mixed-hostile.ts), as they would from other
// machines, so their receiving never delays this process's timing; the report ends with this process's own event-loop
// delay.
// The clients stand in for people on other machines, yet share the server's two cores. Each response wakes the client
// it is for, and a woken thread of the normal policy may preempt the thread that woke it: the server's request thread
// then waited for its own clients mid-request, about 100 times a second under this load (its nonvoluntary context
// switches). So once the server is spawned, this process and its helpers move to SCHED_BATCH (`chrt`): the same share
// of the CPU, no wakeup preemption. --clients-policy normal keeps the normal policy (how this benchmark ran until
// 2026-12-04).
// Readers, filers and merchants share 127.0.0.1 (the per-address cap is raised for this run); each slow client
// connects from its own 127.0.1.x address.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fmt, startService, stop, waitFor } from './bench-lib.ts';
import { Client } from './bench-client.ts';
import { mixedClients } from './bench-mixed-clients.ts';
import { lateMs } from '../server/plugins/event-loop.ts';
import { cpuSeconds, LoopWindows, Recorder, rssPeak, sleep, startHelper, stealWindows } from './bench-mixed-lib.ts';

const { values: opts } = parseArgs({
  options: {
    dir: { type: 'string' },
    duration: { type: 'string', default: '60' },
    'in-place': { type: 'boolean', default: false },
    port: { type: 'string', default: '3977' },
    readers: { type: 'string', default: '12' },
    filers: { type: 'string', default: '20' },
    merchants: { type: 'string', default: '10' },
    slow: { type: 'string', default: '30' },
    /** Pause of each client between its requests, ms: readers, filers, merchants (closed loops). */
    'reader-think': { type: 'string', default: '100' },
    'filer-think': { type: 'string', default: '3000' },
    'merchant-think': { type: 'string', default: '2000' },
    /** Leave out the two export downloads (to see what they cost the rest). */
    'no-exports': { type: 'boolean', default: false },
    /** Writes a V8 CPU profile of the server to this folder (open it in Chrome DevTools). */
    profile: { type: 'string' },
    /** The profile's sampling interval, µs (V8's default 1000); 10000 keeps a minute's profile light enough not to
     * saturate the server it measures, and still places any stall of 50 ms or more. */
    'profile-interval': { type: 'string' },
    /** A flag for the server's node (repeatable), e.g. --node-flag=--trace-gc to see its collections' pauses. */
    'node-flag': { type: 'string', multiple: true, default: [] },
    /** Fixed pauses and one start for every client (they then move in step): the earlier runs' load. */
    lockstep: { type: 'boolean', default: false },
    /** Sign the filers up and the merchants' staff in before the load (their 40 password hashes then fall outside the
     *  measured minute; by default they run in its first seconds, as a burst of sign-ups would). */
    'accounts-first': { type: 'boolean', default: false },
    /** The client processes' scheduling policy: batch (default) or normal (see above). */
    'clients-policy': { type: 'string', default: 'batch' },
  },
});
if (!opts.dir || !existsSync(opts.dir)) {
  console.error(
    'usage: npx tsx scripts/bench-mixed.ts --dir <data dir built by npm run import:cases> [--duration 60] [--in-place]',
  );
  process.exit(2);
}
if (opts['clients-policy'] !== 'batch' && opts['clients-policy'] !== 'normal') {
  console.error('--clients-policy is batch or normal');
  process.exit(2);
}
const DURATION_MS = Number(opts.duration) * 1000;
const PORT = Number(opts.port);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };

const dataDir = opts['in-place'] ? opts.dir : `${opts.dir.replace(/\/$/, '')}-mixed`;
if (!opts['in-place']) {
  console.log(`copying ${opts.dir} to ${dataDir} …`);
  rmSync(dataDir, { recursive: true, force: true });
  const cp = spawnSync('cp', ['-a', opts.dir, dataDir], { stdio: 'inherit' });
  if (cp.status !== 0) throw new Error('copy failed');
  // The copy leaves gigabytes of dirty pages: written back during the run they would slow every fdatasync of it.
  spawnSync('sync', [], { stdio: 'inherit' });
}

const rec = new Recorder();
let running = true;
const clients = mixedClients({
  base: BASE,
  rec,
  until: () => running,
  lockstep: opts.lockstep,
  think: {
    reader: Number(opts['reader-think']),
    filer: Number(opts['filer-think']),
    merchant: Number(opts['merchant-think']),
  },
});
const { readers, moderator, filerAccount, filers, merchantAccount, merchants } = clients;
const until = () => running;

const helper = (script: string, args: string[]) =>
  startHelper(script, ['--port', String(PORT), '--duration', String(DURATION_MS / 1000), ...args], rec);

const hostile = (provider: string) =>
  helper('bench-mixed-hostile.ts', [
    '--provider',
    provider,
    '--slow',
    String(opts.slow),
    ...(opts['no-exports'] ? ['--no-exports'] : []),
  ]);

/** /healthz timed from this process too: beside the probe's figure, it shows what the generator's own lag adds. */
async function health() {
  const c = new Client(BASE);
  while (until()) {
    await rec.time('/healthz (load generator)', () => c.get('/healthz'));
    await sleep(100);
  }
}

/** Moves every thread of the client processes to SCHED_BATCH (threads they start later inherit it); what they run as. */
function clientsPolicy(pids: (number | undefined)[]): string {
  if (opts['clients-policy'] === 'normal') return 'SCHED_OTHER (--clients-policy normal)';
  for (const pid of pids) {
    const r = pid ? spawnSync('chrt', ['-b', '-a', '-p', '0', String(pid)], { encoding: 'utf8' }) : null;
    if (r?.status !== 0) return `SCHED_OTHER (chrt failed: ${r?.stderr?.trim() || r?.error?.message || 'no pid'})`;
  }
  return 'SCHED_BATCH';
}

async function main() {
  const server = startService(
    PORT,
    {
      DATA_DIR: dataDir,
      RATE_LIMITS: 'off',
      WORKERS: 'on',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'm'.repeat(64),
      // Every interactive client of this run shares 127.0.0.1; in production they are many addresses under the cap.
      MAX_CONNECTIONS_PER_IP: '1000',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
    opts.profile
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${opts.profile}`,
          ...(opts['profile-interval'] ? [`--cpu-prof-interval=${opts['profile-interval']}`] : []),
          ...(opts['node-flag'] ?? []),
        ]
      : (opts['node-flag'] ?? []),
  );
  const spawnedAt = performance.now();
  const rss = rssPeak(server.pid!);
  try {
    // Readiness, as a load balancer would: /healthz answers while start-up work still holds the loop (pressure).
    await waitFor(`${BASE}/readyz`, 120_000);
    const admin = new Client(BASE);
    await admin.login(ADMIN.email, ADMIN.password);
    const list = (await admin.json('GET', '/api/v1/providers')) as { items: { slug: string }[] };
    const providers = list.items.map((p) => p.slug).slice(0, 10);
    // With --accounts-first the sign-ups run now, before the load (still reported, as the setup rows).
    const accounts = opts['accounts-first']
      ? {
          filers: await Promise.all(Array.from({ length: Number(opts.filers) }, (_, k) => filerAccount(k))),
          merchants: await Promise.all(
            Array.from({ length: Number(opts.merchants) }, (_, k) => merchantAccount(k, admin, providers)),
          ),
        }
      : null;
    const attackers = await hostile(providers[0]);
    const probe = await helper('bench-mixed-probe.ts', []);
    const policy = clientsPolicy([process.pid, attackers.pid, probe.pid]);
    // The load starts as one of the server's 10 s event-loop windows closes: every window after covers the run.
    const serverLoop = await LoopWindows.atBoundary(BASE);
    // The offset places the run's times in a --profile of the server, whose clock starts at its spawn.
    console.log(
      `running ${opts.duration} s of mixed load (from ${fmt((performance.now() - spawnedAt) / 1000)} s after the server's spawn; clients ${policy}) …`,
    );
    // Where the two cores went: the server against the processes standing in for its clients (read as the minute
    // ends, before the helpers exit).
    const cpu = { server: server.pid!, 'load generator': process.pid, hostile: attackers.pid, probe: probe.pid };
    const cpuAtStart = Object.fromEntries(Object.entries(cpu).map(([k, pid]) => [k, cpuSeconds(pid)]));
    let cpuUse: string[] = [];
    setTimeout(() => {
      running = false;
      cpuUse = Object.entries(cpu).map(
        ([k, pid]) => `${k} ${fmt((cpuSeconds(pid) - cpuAtStart[k]) / (DURATION_MS / 1000))}`,
      );
    }, DURATION_MS);
    const t0 = performance.now();
    const startedAt = Date.now();
    const steal = stealWindows();
    // This process's own event-loop delay: a figure is only the server's if the client measuring it kept up.
    // How late its 10 ms timer ran, as the server reports its own (the histogram holds the time between runs).
    const clientStepMs = 10;
    const clientDelay = monitorEventLoopDelay({ resolution: clientStepMs });
    clientDelay.enable();
    await Promise.all([
      readers(Number(opts.readers)),
      filers(Number(opts.filers), providers, accounts?.filers ?? null),
      merchants(Number(opts.merchants), admin, providers, accounts?.merchants ?? null),
      moderator(admin),
      attackers.start(),
      probe.start(),
      health(),
      serverLoop.poll(BASE, until),
    ]);
    steal.stop();
    const seconds = (performance.now() - t0) / 1000;
    const ready = await fetch(`${BASE}/readyz`)
      .then((r) => r.json())
      .catch(() => null);
    clientDelay.disable();
    rec.print(seconds, startedAt);
    rec.printSlowest(startedAt, 12, (name) => / export|setup|slow client/.test(name));
    console.log(
      `load generator's own event-loop delay: p99 ${fmt(lateMs(clientDelay.percentile(99), clientStepMs))} ms, max ${fmt(lateMs(clientDelay.max, clientStepMs))} ms`,
    );
    await serverLoop.finish(BASE, startedAt + DURATION_MS);
    console.log(serverLoop.text());
    console.log(`CPU cores used over the run (of 2): ${cpuUse.join(', ')}`);
    console.log(steal.text());
    console.log(`server RSS max ${rss.text()}`);
    console.log(`/readyz after the run: ${JSON.stringify(ready)}`);
  } finally {
    rss.stop();
    await stop(server);
    if (!opts['in-place']) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
