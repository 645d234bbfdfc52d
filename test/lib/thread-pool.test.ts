// A burst of CPU-heavy native work (scrypt here) leaves libuv's thread pool room for the disk: a file read started
// after eight password hashes finishes before most of them, where without the gate it would queue behind them all.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/modules/accounts/password.ts';
import { HEAVY_JOBS, heavyJobs, THREAD_POOL_SIZE } from '../../server/lib/thread-pool.ts';

describe('the thread pool gate', () => {
  it('keeps threads free for file reads while passwords are hashed', { timeout: 30_000 }, async () => {
    expect(HEAVY_JOBS).toBeLessThan(THREAD_POOL_SIZE);
    let hashed = 0;
    const hashes = Array.from({ length: 8 }, () => hashPassword('a-long-enough-password').then(() => hashed++));
    await new Promise((r) => setImmediate(r)); // the gate starts jobs a microtask later
    expect(heavyJobs()).toEqual({ running: HEAVY_JOBS, waiting: 8 - HEAVY_JOBS });
    await readFile(new URL(import.meta.url));
    const hashedWhenRead = hashed;
    await Promise.all(hashes);
    expect(hashedWhenRead).toBeLessThan(HEAVY_JOBS + 1);
    expect(hashed).toBe(8);
    expect(heavyJobs()).toEqual({ running: 0, waiting: 0 });
  });
});
