// For bench-mixed: a per-class latency recorder (its HTTP client is bench-client.ts).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt } from './bench-lib.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Series {
  ms: number[];
  /** When each request ended (Date.now(), comparable across the run's processes). */
  at: number[];
  errors: number;
  bytes: number;
}

export class Recorder {
  private series = new Map<string, Series>();

  add(name: string, ms: number, errors = 0, bytes = 0): void {
    let s = this.series.get(name);
    if (!s) {
      s = { ms: [], at: [], errors: 0, bytes: 0 };
      this.series.set(name, s);
    }
    s.ms.push(ms);
    s.at.push(Date.now());
    s.errors += errors;
    s.bytes += bytes;
  }

  /** Every series, to hand to another process's recorder (merge). */
  dump(): [string, Series][] {
    return [...this.series];
  }

  merge(series: [string, Series][]): void {
    for (const [name, s] of series) {
      const mine = this.series.get(name);
      if (!mine) this.series.set(name, s);
      else {
        mine.ms.push(...s.ms);
        mine.at.push(...s.at);
        mine.errors += s.errors;
        mine.bytes += s.bytes;
      }
    }
  }

  async time<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    const t0 = performance.now();
    try {
      const v = await fn();
      this.add(name, performance.now() - t0);
      return v;
    } catch (err) {
      this.add(name, performance.now() - t0, 1);
      if (this.series.get(name)!.errors <= 3) console.warn(`${name}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** The slowest interactive requests of the run, with when they ended (seconds after `startedAt`, a Date.now()). */
  printSlowest(startedAt: number, n = 12, skip: (name: string) => boolean = () => false): void {
    const all = [...this.series]
      .filter(([name]) => !skip(name))
      .flatMap(([name, s]) => s.ms.map((ms, i) => ({ name, ms, at: (s.at[i] - startedAt) / 1000 })))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, n);
    console.log(`\nslowest: ${all.map((r) => `${r.name} ${fmt(r.ms, 0)} ms at ${fmt(r.at, 1)} s`).join('; ')}`);
  }

  /**
   * Per class: req/s, p50, p99, max, errors, MB; with `startedAt` (a Date.now()) also the p99 of the requests that
   * ended after the first `settleSeconds` (the run's start is a burst: every client sets up at once), as a second
   * figure beside the whole run's, never instead of it.
   */
  print(seconds: number, startedAt?: number, settleSeconds = 5): void {
    const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
    const settled = startedAt === undefined ? '' : `p99 >${settleSeconds}s`.padStart(10);
    console.log(
      `\n${'class'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${settled} ${'max ms'.padStart(8)} ${'errors'.padStart(7)}  MB`,
    );
    for (const [name, s] of [...this.series].sort()) {
      const xs = [...s.ms].sort((a, b) => a - b);
      const late =
        startedAt === undefined
          ? ''
          : fmt(
              pct(
                s.ms.filter((_, i) => s.at[i] - startedAt > settleSeconds * 1000).sort((a, b) => a - b),
                99,
              ),
            ).padStart(10);
      console.log(
        `${name.padEnd(28)} ${fmt(xs.length / seconds).padStart(8)} ${fmt(pct(xs, 50)).padStart(8)} ${fmt(pct(xs, 99)).padStart(8)} ${late} ${fmt(xs.at(-1) ?? 0).padStart(8)} ${String(s.errors).padStart(7)}  ${s.bytes ? fmt(s.bytes / 2 ** 20, 0) : ''}`,
      );
    }
  }
}

/**
 * A helper process (the exports and slow clients, bench-mixed-hostile.ts; the /healthz probe, bench-mixed-probe.ts),
 * booted before the measured minute: `start()` lets it go, and resolves once it has ended and its series are merged
 * into this run's.
 */
export async function startHelper(
  script: string,
  args: string[],
  rec: Recorder,
): Promise<{ pid: number; start(): Promise<void> }> {
  const child = fork(join(import.meta.dirname, script), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited ${code} before starting`)));
  });
  const ended = new Promise<void>((resolve, reject) => {
    child.once('message', (series) => rec.merge(series as [string, Series][]));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}`))));
  });
  return {
    pid: child.pid!,
    start: () => {
      child.send('go');
      return ended;
    },
  };
}

/** CPU seconds a process has used so far, all its threads (user + system; /proc/PID/stat counts in 1/100 s). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The machine's CPU time so far (/proc/stat, in ticks): all of it, and what the hypervisor took (steal). */
function cpuTicks(): { total: number; steal: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already counted in user)
    return { total: cpu.slice(0, 8).reduce((a, b) => a + b, 0), steal: cpu[7] ?? 0 };
  } catch {
    return null;
  }
}

/**
 * CPU time the hypervisor gave to other machines (steal), per 10 s of the run: on a shared VM a stalled request thread
 * is sometimes only waiting for its CPU back, and this says when. Sampled each second; windows follow the load's start.
 */
export function stealWindows(): { text(): string; stop(): void } {
  const start = cpuTicks();
  const windows: number[] = [];
  let from = start;
  let second = 0;
  let end: ReturnType<typeof cpuTicks> = null;
  const timer = setInterval(() => {
    const now = cpuTicks();
    if (++second % 10 !== 0 || !now || !from) return;
    windows.push(((now.steal - from.steal) / Math.max(1, now.total - from.total)) * 100);
    from = now;
  }, 1000);
  return {
    text: () => {
      if (!start || !end) return 'CPU stolen by the hypervisor: unknown (no /proc/stat)';
      const all = ((end.steal - start.steal) / Math.max(1, end.total - start.total)) * 100;
      return `CPU stolen by the hypervisor: ${fmt(all)} % over the run (each 10 s: ${windows.map((w) => fmt(w)).join(', ')} %)`;
    },
    stop: () => {
      clearInterval(timer);
      end = cpuTicks();
    },
  };
}

/** A helper process's side of startHelper: says it has booted, then waits for the start. */
export async function helperBooted(): Promise<void> {
  if (!process.send) return;
  const go = new Promise((resolve) => process.once('message', resolve));
  process.send('ready');
  await go;
}

/** A helper process's end: its series back to bench-mixed (run alone: printed). */
export function helperDone(rec: Recorder, seconds: number): void {
  if (process.send) process.send(rec.dump(), () => process.exit(0));
  else rec.print(seconds);
}

/** A process's peak RSS, sampled every 250 ms from /proc until stop(): the figure and its anonymous/file-backed split. */
export function rssPeak(pid: number): { text(): string; stop(): void } {
  let max = 0;
  let split = '';
  const timer = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      if (kb('VmRSS') * 1024 > max) {
        max = kb('VmRSS') * 1024;
        split = `anonymous ${fmt(kb('RssAnon') / 1024, 0)} MB, file-backed ${fmt(kb('RssFile') / 1024, 0)} MB`;
      }
    } catch {
      /* exited */
    }
  }, 250);
  return {
    text: () => `${fmt(max / 2 ** 20, 0)} MB (${split})`,
    stop: () => clearInterval(timer),
  };
}

/** A window of the server's event-loop delay as /readyz gives it. */
export interface LoopWindow {
  p99: number;
  max: number;
  windowMs: number;
  endedAt: string | null;
}

/** The server's last complete event-loop window, from /readyz (undefined if it did not answer). */
async function lastWindow(base: string): Promise<LoopWindow | undefined> {
  const r = (await fetch(`${base}/readyz`)
    .then((x) => x.json())
    .catch(() => null)) as { eventLoopDelayMs?: LoopWindow } | null;
  return r?.eventLoopDelayMs;
}

/** Sleeps until just after the window following `w` closes (20 ms when it is already due; 1 s while none has). */
function sleepUntilNextClose(w: LoopWindow | undefined): Promise<unknown> {
  if (!w?.endedAt) return sleep(1000);
  return sleep(Math.max(20, Date.parse(w.endedAt) + w.windowMs + 20 - Date.now()));
}

/**
 * The server's own event-loop delay over the run: /readyz reports its last complete 10 s window and when it closed,
 * read every 5 s (each window is seen at least once). The load starts as a window closes (atBoundary), so the windows
 * from that one on cover the whole run, its first second included; windows that began before (start-up, warm-up, the
 * benchmark's setup) are left out. A figure is how late the server's 10 ms sampler ran (plugins/event-loop.ts takes
 * the 10 ms step off Node's histogram, which holds the time between the sampler's runs).
 */
export class LoopWindows {
  private readonly windows = new Map<string, LoopWindow>();

  private constructor(private readonly loadFrom: number) {}

  /**
   * Waits for the server's current window to close (at most one window, ~10 s): the load starts then. The next close
   * follows from the last one (endedAt + windowMs), so /readyz, whose database check commits a write, is read a few
   * times rather than polled.
   */
  static async atBoundary(base: string): Promise<LoopWindows> {
    const first = await lastWindow(base);
    for (;;) {
      await sleepUntilNextClose(first);
      const now = await lastWindow(base);
      if (now?.endedAt && now.endedAt !== first?.endedAt) return new LoopWindows(Date.parse(now.endedAt));
    }
  }

  /** Keeps a window that began as the load did or after: one that closed more than half a window after the load's
   *  start (a window's length jitters by the timer's lateness, so its start is not exactly the previous one's end). */
  keep(w: LoopWindow | undefined): void {
    if (w?.endedAt && Date.parse(w.endedAt) > this.loadFrom + w.windowMs / 2) this.windows.set(w.endedAt, w);
  }

  /** After the load: waits (at most a window) for the window holding its last moments to close, and keeps it. */
  async finish(base: string, loadEnded: number): Promise<void> {
    const deadline = Date.now() + 11_000;
    while (Date.now() < deadline) {
      const w = await lastWindow(base);
      this.keep(w);
      if (w?.endedAt && Date.parse(w.endedAt) >= loadEnded - 100) return;
      await sleepUntilNextClose(w);
    }
  }

  async poll(base: string, running: () => boolean): Promise<void> {
    for (let tick = 1; running(); tick++) {
      await sleep(500);
      if (tick % 10 !== 0) continue;
      this.keep(await lastWindow(base));
    }
  }

  text(): string {
    const ws = [...this.windows.values()];
    if (ws.length === 0) return 'server event-loop delay: no complete 10 s window inside the run';
    return (
      `server event-loop delay in the run's ${ws.length} 10 s windows, from the load's start (how late a 10 ms sampler ran): ` +
      `worst p99 ${fmt(Math.max(...ws.map((w) => w.p99)))} ms, max ${fmt(Math.max(...ws.map((w) => w.max)))} ms ` +
      `(each window's max: ${ws.map((w) => fmt(w.max)).join(', ')})`
    );
  }
}
