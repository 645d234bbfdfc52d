// Starts a worker thread running a TypeScript module (the service runs under tsx, and so do the tests under vitest):
// a small plain-JavaScript entry registers tsx's loader in the thread, then imports the module.
import { Worker } from 'node:worker_threads';

const BOOT = new URL('./ts-worker-boot.mjs', import.meta.url);

export function startTsWorker(entry: URL, workerData: Record<string, unknown>): Worker {
  return new Worker(BOOT, { workerData: { ...workerData, entry: entry.href } });
}
