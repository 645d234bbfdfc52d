// scrypt runs in a thread of its own at a lowered CPU priority. In libuv's pool (one job at a time through the
// thread-pool gate), a burst of sign-ups and logins held a core at the same priority as the request thread: at
// 1,000,000 cases the first seconds of mixed load, with 30 registrations and 10 staff logins, ran the server at 1.6
// cores against 1.1 later, and /healthz answered in 150–260 ms. Here the hashing gets whatever CPU the request thread
// leaves idle (nice 10: on a saturated machine a tenth of a core against it, never nothing), and the pool stays with
// the disk. The thread starts on the first hash, holds the process open only while hashes are in flight, and starts
// again after a crash.
import { Worker } from 'node:worker_threads';
import type { ScryptOptions } from 'node:crypto';

/** The nice value of the hashing thread (0 is the request thread's; 19 the lowest). */
export const SCRYPT_NICE = 10;

// Plain CommonJS, so the thread needs no TypeScript loader. It lowers its own priority as thread-priority.ts does
// (Linux: each thread is a task with its own nice value; elsewhere nothing happens) and answers one hash at a time.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
let lowered = false;
try {
  const m = /\\/task\\/(\\d+)$/.exec(require('node:fs').readlinkSync('/proc/thread-self'));
  const tid = m ? Number(m[1]) : 0;
  if (tid > 0 && tid !== process.pid) { require('node:os').setPriority(tid, workerData.nice); lowered = true; }
} catch {}
parentPort.on('message', (m) => {
  if (m.type === 'status') return parentPort.postMessage({ id: m.id, lowered });
  try {
    const key = scryptSync(m.password, Buffer.from(m.salt), m.keylen, m.options);
    parentPort.postMessage({ id: m.id, key });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err), code: err && err.code });
  }
});
`;

type Reply = { id: number; key?: Uint8Array; lowered?: boolean; error?: string; code?: string };

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice: SCRYPT_NICE } });
  w.on('message', (r: Reply) => {
    const job = waiting.get(r.id);
    if (!job) return;
    waiting.delete(r.id);
    if (waiting.size === 0) w.unref();
    job.resolve(r);
  });
  const fail = (err: Error) => {
    if (worker !== w) return;
    worker = null;
    for (const job of waiting.values()) job.reject(err);
    waiting.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`scrypt thread exited (${code})`)));
  w.unref();
  worker = w;
  return w;
}

function ask(message: Record<string, unknown>): Promise<Reply> {
  const w = thread();
  const id = nextId++;
  return new Promise<Reply>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.ref(); // a hash in flight keeps the process open (a script that hashes and exits must get its answer)
    w.postMessage({ ...message, id });
  });
}

/** scrypt in the hashing thread: the same derivation as node:crypto's scrypt, off libuv's pool. */
export async function scryptInThread(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  const r = await ask({ type: 'hash', password, salt, keylen, options });
  if (r.error !== undefined) throw Object.assign(new Error(r.error), { code: r.code });
  return Buffer.from(r.key!);
}

/** Whether the hashing thread runs at SCRYPT_NICE (false where threads have no nice value of their own). */
export async function scryptThreadLowered(): Promise<boolean> {
  return (await ask({ type: 'status' })).lowered === true;
}

/** Ends the thread (tests); the next hash starts another. */
export async function stopScryptThread(): Promise<void> {
  const w = worker;
  worker = null;
  for (const job of waiting.values()) job.reject(new Error('scrypt thread stopped'));
  waiting.clear();
  if (w) await w.terminate();
}
