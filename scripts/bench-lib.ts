// Shared by the benchmark scripts: start the real service or a bare fastify route in a child process, wait for it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

export async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

/**
 * The service as `npm start` runs it: compiled first (`npm run build`, incremental), then `node dist/server/main.js`.
 * From sources under tsx the process would also carry tsx's loader thread and compile on the fly, which production
 * does not: its memory and start-up would not be production's.
 */
export function startService(port: number, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  return spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'server', 'main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', RATE_LIMITS: 'off', LOG_LEVEL: 'warn', ...env },
  });
}

/** A bare fastify hello-world in its own process: the ceiling to compare our routes against. */
export function startBare(port: number): ChildProcess {
  const code = `const f = require('fastify')(); f.get('/', async () => ({ hello: 'world' })); f.listen({ port: ${port}, host: '127.0.0.1' });`;
  return spawn(process.execPath, ['-e', code], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
