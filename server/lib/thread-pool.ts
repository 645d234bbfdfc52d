// libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise) runs the event loop's file reads and
// writes, the fdatasync every acknowledged write waits for, and CPU-heavy native work: sharp's image re-encoding
// (scrypt, which went through this gate too, now has a thread of its own: accounts/scrypt-thread.ts). A burst of
// uploads would otherwise take every thread, and the disk work behind them (a case page's first template read, a
// filing's fdatasync, an export download's next read) would wait seconds in the queue. The heavy work goes through this gate, which keeps
// threads free for the disk.
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';

/** The pool's size as libuv reads it at start. */
export const THREAD_POOL_SIZE = Math.max(1, Number(process.env.UV_THREADPOOL_SIZE) || 4);

/**
 * How many CPU-heavy native jobs may run at once: at most half the pool, so the other half stays with the disk, and
 * one fewer than the CPU cores, so the event loop keeps a core to itself (on two cores: one job at a time).
 */
export const HEAVY_JOBS = Math.max(1, Math.min(Math.floor(THREAD_POOL_SIZE / 2), availableParallelism() - 1));

const gate = pLimit(HEAVY_JOBS);

/** Runs a CPU-heavy job that uses libuv's thread pool (sharp) when one of the HEAVY_JOBS slots is free. */
export function heavyJob<T>(job: () => Promise<T>): Promise<T> {
  return gate(job);
}

/** Heavy jobs running and waiting (diagnostics, tests). */
export function heavyJobs(): { running: number; waiting: number } {
  return { running: gate.activeCount, waiting: gate.pendingCount };
}
