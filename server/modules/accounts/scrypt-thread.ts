// scrypt runs in a thread of its own at the lowest CPU priority (scrypt-worker.ts). In libuv's pool (one job at a time
// through the thread-pool gate), a burst of sign-ups and logins held a core at the same priority as the request
// thread: at 1,000,000 cases the first seconds of mixed load, with 30 registrations and 10 staff logins, ran the
// server at 1.6 cores against 1.1 later, and /healthz answered in 150–260 ms. Here the hashing gets whatever CPU the
// request thread leaves idle: the thread starts at nice 10, and the helper-thread sweep (lib/helper-thread-policy.ts)
// moves it to SCHED_IDLE, so that the request thread, woken, takes the core from it at once (at nice 10 alone it
// waited twice as long in the run queue during a burst of sign-ups). On a machine saturated by other work an idle
// thread gets almost nothing: when it has finished no hash for SCRYPT_STALL_MS while hashes wait, libuv's pool
// (through the gate) computes them as well and the first answer wins (lib/stall-fallback.ts). The pool stays with
// the disk otherwise. The thread starts on the first hash, holds the process open only while hashes are in flight,
// and starts again after a crash (lib/reply-thread.ts).
import { type ScryptOptions, scrypt } from 'node:crypto';
import { ReplyThread } from '../../lib/reply-thread.ts';
import { withStallFallback } from '../../lib/stall-fallback.ts';
import { heavyJob } from '../../lib/thread-pool.ts';
import { startTsWorker } from '../../lib/ts-worker.ts';
import type { ScryptAnswer, ScryptQuestion, ScryptWorkerData } from './scrypt-worker.ts';

/** The nice value of the hashing thread (0 is the request thread's; 19 the lowest). */
export const SCRYPT_NICE = 10;
/** How long the thread may finish no hash, while hashes wait, before libuv's pool computes them too, ms. */
export const SCRYPT_STALL_MS = 3000;

let lastAnswerAt = 0;
let fallbacks = 0;

const thread = new ReplyThread<ScryptQuestion, ScryptAnswer>({
  name: 'scrypt thread',
  holdOpen: true,
  start: () =>
    startTsWorker(new URL('./scrypt-worker.ts', import.meta.url), { nice: SCRYPT_NICE } satisfies ScryptWorkerData, {
      nice: SCRYPT_NICE,
    }),
});

/** scrypt in the hashing thread: the same derivation as node:crypto's scrypt, off libuv's pool unless it stalls. */
export function scryptInThread(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
  stallMs = SCRYPT_STALL_MS,
): Promise<Buffer> {
  const answer = thread.ask({ type: 'hash', id: thread.newId(), password, salt, keylen, options }).then((a) => {
    lastAnswerAt = Date.now();
    if ('error' in a) throw Object.assign(new Error(a.error), { code: a.code });
    if (!('key' in a)) throw new Error('scrypt thread answered without a key');
    return Buffer.from(a.key.buffer, a.key.byteOffset, a.key.byteLength);
  });
  return withStallFallback(answer, {
    stallMs,
    lastProgress: () => lastAnswerAt,
    fallback: () => scryptInPool(password, salt, keylen, options),
    onFallback: () => {
      fallbacks += 1;
    },
  });
}

/** scrypt in libuv's pool, through the gate that keeps threads free for the disk (the stalled thread's fallback). */
export function scryptInPool(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return heavyJob(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

/** Hashes the pool took over from a stalled thread since start. */
export function scryptFallbacks(): number {
  return fallbacks;
}

/** Whether the hashing thread runs at SCRYPT_NICE (false where threads have no nice value of their own). */
export async function scryptThreadLowered(): Promise<boolean> {
  const a = await thread.ask({ type: 'status', id: thread.newId() });
  return 'lowered' in a && a.lowered;
}

/** Ends the thread (tests); the next hash starts another. */
export function stopScryptThread(): Promise<void> {
  return thread.stop();
}
