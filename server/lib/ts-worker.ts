// Starts a worker thread running one of the server's modules, given as its TypeScript source's URL. Compiled
// (npm start runs dist/server/**/*.js) the thread runs the sibling .js file directly. From sources (tsx, vitest) a
// thread starts without the parent's loader, so a small plain-JavaScript entry registers tsx there, then imports it.
import { type ResourceLimits, Worker } from 'node:worker_threads';

const BOOT = new URL('./ts-worker-boot.mjs', import.meta.url);
/** This file is itself compiled when its own URL ends in .js: then so is every module beside it. */
const COMPILED = import.meta.url.endsWith('.js');

/** The URL the thread loads for a module given by its source URL (`./x.ts` → `./x.js` when compiled). */
export function workerEntry(source: URL): URL {
  return COMPILED ? new URL(source.href.replace(/\.ts$/, '.js')) : source;
}

/**
 * Heap limits for the background threads that stream the board (the export builds): each works on one slice at a
 * time, and V8 would otherwise let its garbage grow toward the machine-wide default (gigabytes here) before
 * collecting, which the process's RSS then carries.
 */
export const STREAMING_THREAD_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

export interface WorkerStart {
  resourceLimits?: ResourceLimits;
  /**
   * The thread's nice value from its first instruction (thread-priority.ts). A thread lowering itself once its module
   * runs has already spent its start (Node's bootstrap, then its imports: about 100 ms of CPU for an export thread) at
   * the request thread's priority, in the first moments of the request that started it.
   */
  nice?: number;
}

/**
 * A thread's entry when it starts lowered: it sets its own nice value (a thread can only find its own task id), then
 * loads the module. Plain CommonJS given as source, so that nothing is loaded before the priority is set.
 */
const NICED_BOOT = `
const { workerData } = require('node:worker_threads');
try {
  const tid = Number(/\\/task\\/(\\d+)$/.exec(require('node:fs').readlinkSync('/proc/thread-self'))[1]);
  if (tid > 0 && tid !== process.pid) require('node:os').setPriority(tid, workerData.boot.nice);
} catch {}
import(workerData.boot.load);
`;

export function startTsWorker(source: URL, workerData: Record<string, unknown>, start: WorkerStart = {}): Worker {
  const entry = workerEntry(source);
  const load = COMPILED ? entry : BOOT;
  const data = { ...workerData, entry: entry.href };
  const { resourceLimits, nice } = start;
  if (nice === undefined) return new Worker(load, { workerData: data, resourceLimits });
  return new Worker(NICED_BOOT, {
    eval: true,
    workerData: { ...data, boot: { nice, load: load.href } },
    resourceLimits,
  });
}
