// `npm start` runs the compiled server: build dist/ (tsc -b: a no-op when it is current) and start
// `node dist/server/main.js` on a fresh DATA_DIR, as a deployment would. Views, migrations and the export worker
// thread must all be found from the compiled files.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let dataDir: string;
let child: ChildProcess | null = null;
let base = '';
let output = '';

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'],
    { cwd: ROOT, stdio: 'pipe' },
  );
  dataDir = mkdtempSync(join(tmpdir(), 'wc-prod-'));
  // Only what a first start on a new machine has: a data dir and a free port. No tsx anywhere in the process.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    MAX_EVENT_LOOP_DELAY_MS: '0',
  };
  child = spawn(process.execPath, [join(ROOT, 'dist', 'server', 'main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
}, 240_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('production start (node dist/server/main.js)', () => {
  it('answers /healthz 200 and /readyz with every migration applied, and serves pages and the stylesheet', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { checks: Record<string, { ok: boolean }> };
    expect(ready.checks.migrations?.ok).toBe(true);
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('钱包投诉台');
    expect((await fetch(`${base}/static/app.css`)).status).not.toBe(404);
  });

  it('builds the open-data files in the compiled export worker thread', async () => {
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${base}/downloads/cases.csv`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect(existsSync(join(dataDir, 'exports', 'cases.csv'))).toBe(true);
  });

  it('warns that mail without SMTP_URL stays local, and exits 0 on SIGTERM', async () => {
    expect(output).toContain('SMTP_URL is not set');
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
