// Background threads give way to the request thread: a worker that lowers its priority runs at nice 19 while the
// process's main thread (and so every request) keeps its own; the main thread refuses to lower itself.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE, currentThreadId, lowerThisThreadPriority } from '../../server/lib/thread-priority.ts';
import { startTsWorker } from '../../server/lib/ts-worker.ts';

/** A task's nice value, field 19 of /proc/<pid>/task/<tid>/stat (after the parenthesised command name). */
const niceOf = (tid: number) =>
  Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);

describe.skipIf(!existsSync('/proc/thread-self'))('thread priority (Linux)', () => {
  it('a worker thread lowers only itself', async () => {
    const before = niceOf(process.pid);
    const worker = startTsWorker(new URL('../fixtures/niced-thread.ts', import.meta.url), {});
    try {
      const m = await new Promise<{ tid: number; lowered: boolean }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(m.lowered).toBe(true);
      expect(m.tid).not.toBe(process.pid);
      expect(niceOf(m.tid)).toBe(BACKGROUND_NICE);
      expect(niceOf(process.pid)).toBe(before);
    } finally {
      worker.postMessage('stop');
      await worker.terminate();
    }
  });

  it('a thread started lowered runs its module at that priority from its first line, and its failures still surface', async () => {
    const before = niceOf(process.pid);
    const fixture = new URL('../fixtures/thread-nice-report.ts', import.meta.url);
    const worker = startTsWorker(fixture, {}, { nice: 15 });
    try {
      const m = await new Promise<{ tid: number; nice: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(m.tid).not.toBe(process.pid);
      expect(m.nice).toBe(15); // as its module began: set before any of it loaded
      expect(niceOf(m.tid)).toBe(15);
      expect(niceOf(process.pid)).toBe(before);
    } finally {
      worker.postMessage('stop');
      await worker.terminate();
    }
    // Without the option the thread keeps the process's priority.
    const plain = startTsWorker(fixture, {});
    try {
      const m = await new Promise<{ nice: number }>((resolve) => plain.once('message', resolve));
      expect(m.nice).toBe(before);
    } finally {
      await plain.terminate();
    }
    // A module that throws as it loads reaches the parent as the thread's error, lowered or not.
    const broken = startTsWorker(fixture, { fail: true }, { nice: 15 });
    await expect(new Promise((_, reject) => broken.once('error', reject))).rejects.toThrow(
      'this thread fails as it loads',
    );
  });

  it('the main thread is never lowered', () => {
    const before = niceOf(process.pid);
    expect(currentThreadId()).toBe(process.pid);
    expect(lowerThisThreadPriority()).toBe(false);
    expect(niceOf(process.pid)).toBe(before);
  });
});
