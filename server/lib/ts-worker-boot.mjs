// Entry of worker threads whose code is TypeScript: the app runs under tsx, and a thread starts without its loader.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
