// Start-up time: from spawning the service to its first `/healthz` 200, compiled (`node dist/server/main.js`, what
// `npm start` runs after its build check) against the TypeScript sources under tsx (the previous `npm start`).
//   npm run bench:start [-- --runs 5 --dir DATA_DIR]
// Without --dir a fresh data dir is made (the first start applies the migrations and is not counted); with --dir the
// service starts on that data dir as it is (use a copy of a big one: starts write to it). Run `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, fmt } from './bench-lib.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    dir: { type: 'string' },
    port: { type: 'string', default: '3950' },
  },
});
const runs = Number(args.runs);
const port = Number(args.port);
const dataDir = args.dir ?? mkdtempSync(join(tmpdir(), 'bench-start-'));

const VARIANTS: { name: string; command: string; argv: string[] }[] = [
  {
    name: 'node dist/server/main.js (compiled)',
    command: process.execPath,
    argv: [join(ROOT, 'dist', 'server', 'main.js')],
  },
  { name: 'npm start (build check + compiled)', command: 'npm', argv: ['start', '--silent'] },
  {
    name: 'node --import tsx server/main.ts',
    command: process.execPath,
    argv: ['--import', 'tsx', join(ROOT, 'server', 'main.ts')],
  },
  {
    name: 'tsx server/main.ts (previous npm start)',
    command: join(ROOT, 'node_modules', '.bin', 'tsx'),
    argv: [join(ROOT, 'server', 'main.ts')],
  },
];

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

/** Milliseconds from spawn to the first 200 from /healthz (polled every 10 ms). */
async function timeStart(variant: (typeof VARIANTS)[number]): Promise<number> {
  const url = `http://127.0.0.1:${port}/healthz`;
  if (await healthy(url)) throw new Error(`something already answers ${url}: stop it first`);
  const started = performance.now();
  // Its own process group: npm and tsx start the server as a child of theirs, and the whole group is stopped after.
  const child: ChildProcess = spawn(variant.command, variant.argv, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant.name} exited with ${child.exitCode} before answering`);
      if (await healthy(url)) return performance.now() - started;
      if (performance.now() - started > 120_000) throw new Error(`${variant.name}: no /healthz 200 within 120 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await stopGroup(child);
    // npm may exit before the server it started has let go of the port.
    for (let i = 0; i < 200 && (await healthy(url)); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

if (!existsSync(join(ROOT, 'dist', 'server', 'main.js')))
  throw new Error('dist/server/main.js is missing: run `npm run build` first');
if (!args.dir) await timeStart(VARIANTS[0]!); // the fresh data dir's migrations and seed, not a start to count
console.log(`start-up, spawn to /healthz 200, ${runs} runs each, data dir ${dataDir}`);
for (const variant of VARIANTS) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeStart(variant));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${variant.name.padEnd(42)} median ${fmt(median, 0)} ms  min ${fmt(times[0]!, 0)}  max ${fmt(times.at(-1)!, 0)}`,
  );
}
if (!args.dir) rmSync(dataDir, { recursive: true, force: true });
