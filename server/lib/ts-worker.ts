// Starts a worker thread running one of the server's modules, given as its TypeScript source's URL. Compiled
// (npm start runs dist/server/**/*.js) the thread runs the sibling .js file directly. From sources (tsx, vitest) a
// thread starts without the parent's loader, so a small plain-JavaScript entry registers tsx there, then imports it.
import { Worker } from 'node:worker_threads';

const BOOT = new URL('./ts-worker-boot.mjs', import.meta.url);
/** This file is itself compiled when its own URL ends in .js: then so is every module beside it. */
const COMPILED = import.meta.url.endsWith('.js');

/** The URL the thread loads for a module given by its source URL (`./x.ts` → `./x.js` when compiled). */
export function workerEntry(source: URL): URL {
  return COMPILED ? new URL(source.href.replace(/\.ts$/, '.js')) : source;
}

export function startTsWorker(source: URL, workerData: Record<string, unknown>): Worker {
  const entry = workerEntry(source);
  if (COMPILED) return new Worker(entry, { workerData: { ...workerData, entry: entry.href } });
  return new Worker(BOOT, { workerData: { ...workerData, entry: entry.href } });
}
