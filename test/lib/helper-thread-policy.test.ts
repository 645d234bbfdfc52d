// Helper threads do not preempt the request thread: the sweep moves every thread of the process but its main thread to
// SCHED_BATCH (those at nice 0 to HELPER_NICE as well), threads started after it too, and says so; without chrt (or its
// shell) nothing moves and the status says why; it ends when stopped and when the process it watches is gone.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { setPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HELPER_NICE,
  type HelperThreadPolicy,
  startHelperThreadPolicy,
} from '../../server/lib/helper-thread-policy.ts';

/** Field N (from 1) of /proc/<pid>/task/<tid>/stat, read after comm's closing parenthesis. */
const statField = (pid: number, tid: number, n: number) =>
  Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ').at(-1)!.split(' ')[n - 3]);
/** A task's scheduling policy (field 41): 0 normal, 3 batch. */
const policyOf = (pid: number, tid: number) => statField(pid, tid, 41);
/** A task's nice value (field 19). */
const niceOf = (pid: number, tid: number) => statField(pid, tid, 19);

/** A worker thread that tells its kernel task id. */
async function thread(): Promise<{ worker: Worker; tid: number }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.postMessage(Number(/\\/task\\/(\\d+)$/.exec(require('node:fs').readlinkSync('/proc/thread-self'))[1]));
     setInterval(() => {}, 1000);`,
    { eval: true },
  );
  const tid = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, tid };
}

const hasChrt = ['/usr/bin/chrt', '/bin/chrt'].some((p) => existsSync(p));
let policy: HelperThreadPolicy | null = null;
const workers: Worker[] = [];
afterEach(async () => {
  policy?.stop();
  policy = null;
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe.skipIf(!existsSync('/proc/thread-self'))('helper thread policy (Linux)', () => {
  it.skipIf(!hasChrt)('moves every thread but the main one to SCHED_BATCH, and threads started later', async () => {
    const before = await thread();
    workers.push(before.worker);
    expect(policyOf(process.pid, before.tid)).toBe(0);
    // The test process runs at nice 0 (under `nice`, its threads start lowered and keep that value).
    const base = niceOf(process.pid, process.pid);
    expect(niceOf(process.pid, before.tid)).toBe(base);
    // A thread that lowered itself further (as the export threads do) keeps its nice value.
    const lowered = await thread();
    workers.push(lowered.worker);
    setPriority(lowered.tid, Math.max(12, base));
    // V8's and libuv's threads as well: every thread there is, but the main one.
    const others = readdirSync(`/proc/${process.pid}/task`)
      .map(Number)
      .filter((t) => t !== process.pid);
    policy = startHelperThreadPolicy({ everyS: 0.2 });
    expect(policy.status()).toBe('starting');
    await policy.nextSweep();
    expect(policy.status()).toBe('on');
    expect(policyOf(process.pid, before.tid)).toBe(3);
    expect(niceOf(process.pid, before.tid)).toBe(base === 0 ? HELPER_NICE : base);
    expect(policyOf(process.pid, lowered.tid)).toBe(3);
    expect(niceOf(process.pid, lowered.tid)).toBe(Math.max(12, base));
    expect(policyOf(process.pid, process.pid)).toBe(0);
    expect(niceOf(process.pid, process.pid)).toBe(base);
    for (const t of others) expect(policyOf(process.pid, t)).toBe(3);
    expect(policy.moved().batched).toBeGreaterThanOrEqual(others.length);
    expect(policy.moved().failed).toBe(0);

    const later = await thread();
    workers.push(later.worker);
    expect(policyOf(process.pid, later.tid)).toBe(0);
    await policy.nextSweep();
    await policy.nextSweep();
    expect(policyOf(process.pid, later.tid)).toBe(3);
    expect(policyOf(process.pid, process.pid)).toBe(0);
  });

  it('without chrt nothing moves, and the status says so', async () => {
    const w = await thread();
    workers.push(w.worker);
    policy = startHelperThreadPolicy({ everyS: 0.2, env: { PATH: '/nonexistent' } });
    await policy.nextSweep();
    expect(policy.status()).toBe('unavailable');
    expect(policy.moved()).toEqual({ batched: 0, failed: 0 });
    expect(policyOf(process.pid, w.tid)).toBe(0);
  });

  it('without its shell nothing moves, and the status says so', async () => {
    policy = startHelperThreadPolicy({ shell: '/nonexistent/sh' });
    await policy.nextSweep();
    expect(policy.status()).toBe('unavailable');
  });

  it.skipIf(!hasChrt)('ends when stopped, and by itself once the process it watches is gone', async () => {
    const watched = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600)']);
    const exited = new Promise((resolve) => watched.once('exit', resolve));
    policy = startHelperThreadPolicy({ everyS: 0.1, pid: watched.pid! });
    await policy.nextSweep();
    expect(policy.status()).toBe('on');
    // Node's own threads in the watched process are moved; its main thread is not.
    expect(policyOf(watched.pid!, watched.pid!)).toBe(0);
    await exited;
    while (policy.status() === 'on') await policy.nextSweep();
    expect(policy.status()).toBe('ended');

    const again = startHelperThreadPolicy({ everyS: 0.2 });
    await again.nextSweep();
    again.stop();
    expect(again.status()).toBe('ended');
  });
});
