// For bench-mixed: a per-class latency recorder (its HTTP client is bench-client.ts).
import { fmt } from './bench-lib.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Series {
  ms: number[];
  errors: number;
  bytes: number;
}

export class Recorder {
  private series = new Map<string, Series>();

  add(name: string, ms: number, errors = 0, bytes = 0): void {
    let s = this.series.get(name);
    if (!s) {
      s = { ms: [], errors: 0, bytes: 0 };
      this.series.set(name, s);
    }
    s.ms.push(ms);
    s.errors += errors;
    s.bytes += bytes;
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

  print(seconds: number): void {
    const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
    console.log(
      `\n${'class'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'errors'.padStart(7)}  MB`,
    );
    for (const [name, s] of [...this.series].sort()) {
      const xs = [...s.ms].sort((a, b) => a - b);
      console.log(
        `${name.padEnd(28)} ${fmt(xs.length / seconds).padStart(8)} ${fmt(pct(xs, 50)).padStart(8)} ${fmt(pct(xs, 99)).padStart(8)} ${fmt(xs.at(-1) ?? 0).padStart(8)} ${String(s.errors).padStart(7)}  ${s.bytes ? fmt(s.bytes / 2 ** 20, 0) : ''}`,
      );
    }
  }
}
