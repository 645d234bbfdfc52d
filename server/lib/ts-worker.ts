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

export function startTsWorker(
  source: URL,
  workerData: Record<string, unknown>,
  resourceLimits?: ResourceLimits,
): Worker {
  const entry = workerEntry(source);
  const options = { workerData: { ...workerData, entry: entry.href }, resourceLimits };
  return new Worker(COMPILED ? entry : BOOT, options);
}
