// A burst of CPU-heavy native work in libuv's pool (sharp's re-encoding; scrypt stands in for it here, as it is
// heavy and needs no image) leaves the pool room for the disk: a file read started after eight such jobs finishes
// before most of them, where without the gate it would queue behind them all.
import { scrypt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HEAVY_JOBS, heavyJob, heavyJobs, THREAD_POOL_SIZE } from '../../server/lib/thread-pool.ts';

const hashPassword = (password: string) =>
  heavyJob(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password, 'salt', 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
  );

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
