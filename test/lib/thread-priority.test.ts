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

  it('the main thread is never lowered', () => {
    const before = niceOf(process.pid);
    expect(currentThreadId()).toBe(process.pid);
    expect(lowerThisThreadPriority()).toBe(false);
    expect(niceOf(process.pid)).toBe(before);
  });
});
