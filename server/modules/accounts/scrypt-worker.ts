// The scrypt thread (scrypt-thread.ts starts it): lowers its own CPU priority to SCRYPT_NICE, then answers one hash
// at a time with node:crypto's own scryptSync, so the derivation and the stored format are node:crypto's.
import { scryptSync, type ScryptOptions } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../../lib/thread-priority.ts';

export interface ScryptWorkerData {
  nice: number;
}
export type ScryptQuestion =
  | { type: 'hash'; id: number; password: string; salt: Uint8Array; keylen: number; options: ScryptOptions }
  /** Whether the thread's priority was lowered. */
  | { type: 'status'; id: number };
export type ScryptAnswer =
  | { id: number; key: Uint8Array }
  | { id: number; lowered: boolean }
  | { id: number; error: string; code?: string };

function run(data: ScryptWorkerData) {
  const port = parentPort!;
  const lowered = lowerThisThreadPriority(data.nice);
  port.on('message', (q: ScryptQuestion) => {
    if (q.type === 'status') return port.postMessage({ id: q.id, lowered } satisfies ScryptAnswer);
    try {
      const key = scryptSync(q.password, q.salt, q.keylen, q.options);
      port.postMessage({ id: q.id, key } satisfies ScryptAnswer);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      port.postMessage({ id: q.id, error: String(e?.message ?? err), code: e?.code } satisfies ScryptAnswer);
    }
  });
}

if (parentPort && (workerData as { entry?: string } | null)?.entry === import.meta.url)
  run(workerData as ScryptWorkerData);
