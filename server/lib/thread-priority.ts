// Background threads (the whole-board export build, filtered export downloads) yield the CPU to the thread that
// answers requests. Resting between slices already keeps them from holding a core continuously, but on two cores a
// build of a million rows still competes with every request for minutes. On Linux each thread is its own task with its
// own nice value, so a worker thread can lower its own priority: it then uses whatever CPU is idle and gives way as
// soon as the event loop has work. Elsewhere (or without /proc) this does nothing and says so.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value background threads run at (19 is the lowest priority Linux has). */
export const BACKGROUND_NICE = 19;

/** The calling thread's kernel task id on Linux (`/proc/thread-self` → `<pid>/task/<tid>`), else null. */
export function currentThreadId(): number | null {
  try {
    const tid = Number(/\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
    return Number.isSafeInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Lowers the calling thread's own CPU priority; true when it took effect. Call it from inside a worker thread only. */
export function lowerThisThreadPriority(nice = BACKGROUND_NICE): boolean {
  const tid = currentThreadId();
  if (tid === null || tid === process.pid) return false; // never the main thread: it would lower the whole service
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
