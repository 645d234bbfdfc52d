// scrypt runs in a thread of its own at a lowered CPU priority (scrypt-worker.ts). In libuv's pool (one job at a time
// through the thread-pool gate), a burst of sign-ups and logins held a core at the same priority as the request
// thread: at 1,000,000 cases the first seconds of mixed load, with 30 registrations and 10 staff logins, ran the
// server at 1.6 cores against 1.1 later, and /healthz answered in 150–260 ms. Here the hashing gets whatever CPU the
// request thread leaves idle (nice 10: on a saturated machine a tenth of a core against it, never nothing), and the
// pool stays with the disk. The thread starts on the first hash, holds the process open only while hashes are in
// flight, and starts again after a crash (lib/reply-thread.ts).
import type { ScryptOptions } from 'node:crypto';
import { ReplyThread } from '../../lib/reply-thread.ts';
import { startTsWorker } from '../../lib/ts-worker.ts';
import type { ScryptAnswer, ScryptQuestion, ScryptWorkerData } from './scrypt-worker.ts';

/** The nice value of the hashing thread (0 is the request thread's; 19 the lowest). */
export const SCRYPT_NICE = 10;

const thread = new ReplyThread<ScryptQuestion, ScryptAnswer>({
  name: 'scrypt thread',
  holdOpen: true,
  start: () =>
    startTsWorker(new URL('./scrypt-worker.ts', import.meta.url), { nice: SCRYPT_NICE } satisfies ScryptWorkerData, {
      nice: SCRYPT_NICE,
    }),
});

/** scrypt in the hashing thread: the same derivation as node:crypto's scrypt, off libuv's pool. */
export async function scryptInThread(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  const a = await thread.ask({ type: 'hash', id: thread.newId(), password, salt, keylen, options });
  if ('error' in a) throw Object.assign(new Error(a.error), { code: a.code });
  if (!('key' in a)) throw new Error('scrypt thread answered without a key');
  return Buffer.from(a.key.buffer, a.key.byteOffset, a.key.byteLength);
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
