// A job waiting on a starved thread is computed elsewhere once the thread has finished nothing for stallMs; a thread
// that keeps finishing other jobs is waited for; the first answer wins and a late one changes nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withStallFallback } from '../../server/lib/stall-fallback.ts';

/** A promise settled from outside. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('withStallFallback', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes the thread’s answer when it comes in time, and never starts the fallback', async () => {
    const thread = deferred<string>();
    const fallback = vi.fn(async () => 'pool');
    const result = withStallFallback(thread.promise, { stallMs: 1000, lastProgress: () => 0, fallback });
    await vi.advanceTimersByTimeAsync(500);
    thread.resolve('thread');
    expect(await result).toBe('thread');
    await vi.advanceTimersByTimeAsync(5000);
    expect(fallback).not.toHaveBeenCalled();
  });

  it('starts the fallback once the thread has finished nothing for stallMs, and the first answer wins', async () => {
    const thread = deferred<string>();
    const pool = deferred<string>();
    const onFallback = vi.fn();
    let settled: string | undefined;
    const result = withStallFallback(thread.promise, {
      stallMs: 1000,
      lastProgress: () => 0,
      fallback: () => pool.promise,
      onFallback,
    });
    void result.then((v) => {
      settled = v;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(onFallback).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onFallback).toHaveBeenCalledTimes(1);
    pool.resolve('pool');
    expect(await result).toBe('pool');
    thread.resolve('thread'); // late: changes nothing
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe('pool');
  });

  it('waits for a thread that keeps finishing other jobs, however long this one waits', async () => {
    const thread = deferred<string>();
    const fallback = vi.fn(async () => 'pool');
    let last = Date.now();
    const ticker = setInterval(() => {
      last = Date.now();
    }, 400);
    const result = withStallFallback(thread.promise, { stallMs: 1000, lastProgress: () => last, fallback });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fallback).not.toHaveBeenCalled();
    clearInterval(ticker);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(await result).toBe('pool');
    thread.resolve('thread');
  });

  it('passes on a rejection from whichever settles first', async () => {
    const thread = deferred<string>();
    const result = withStallFallback(thread.promise, {
      stallMs: 1000,
      lastProgress: () => 0,
      fallback: async () => 'x',
    });
    thread.reject(new Error('thread exited'));
    await expect(result).rejects.toThrow('thread exited');
    const stalled = withStallFallback(new Promise<string>(() => {}), {
      stallMs: 1000,
      lastProgress: () => 0,
      fallback: async () => {
        throw new Error('bad parameters');
      },
    });
    const expectation = expect(stalled).rejects.toThrow('bad parameters');
    await vi.advanceTimersByTimeAsync(1000);
    await expectation;
  });
});
