// The request thread keeps its core when it wakes a helper. Every reply from a helper thread (similar cases' scorer,
// doclist reader, password hashing, export builds, checkpoints, libuv's pool, V8's compiler and collector) begins with
// the request thread waking it, and on a busy two-core machine Linux's scheduler lets a woken thread of the same
// policy preempt the one that woke it: the event loop then waits a time slice for its own helper, mid-request. Under
// the mixed load at 1,000,000 cases the request thread was preempted about 200 times a second, half of them by its own
// threads (scripts/bench-mixed.ts; docs/benchmarks.md). SCHED_BATCH is the normal policy without that wakeup
// preemption: a helper keeps its fair share of the CPU (and any nice value it has), it only waits for the running
// thread's slice to end or for an idle core.
// Linux's EEVDF scheduler (6.6 on) also makes a thread that has had more than its share of the CPU wait until the
// others catch up, however briefly it slept. At equal weight the request thread, which runs most of a core, then
// queued behind V8's four platform threads when they marked the heap together: 23–68 ms in the run queue inside each
// stall left (docs/benchmarks.md, 2026-12-04). So helper threads still at nice 0 also get HELPER_NICE (5: a weight of
// 335 against the request thread's 1024); threads that lowered themselves further (scrypt 10, exports 19) keep theirs.
// Raising a nice value needs no privilege.
//
// Node has no call for a thread's policy, and a thread can only be moved by its task id with sched_setscheduler
// (`chrt`). Forking the server for each `chrt` would copy the page tables of a process near 1 GB (about 45 ms, and a
// pause of the request thread): so one small shell process, forked at start while the server is small, moves every
// thread but the request thread, and looks again every few seconds for threads started since. It ends by itself once
// the server is gone. Without /proc or `chrt` (not Linux, a minimal image) nothing changes, and status() says so.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** How often the sweep looks for new threads, s. */
export const SWEEP_EVERY_S = 2;
/** The nice value given to helper threads still at 0 (threads already lowered, scrypt 10 and exports 19, keep theirs). */
export const HELPER_NICE = 5;

/**
 * Policy field 41 of /proc/<pid>/task/<tid>/stat is 0 for SCHED_OTHER. A thread still there (none is left in another
 * policy: SCHED_BATCH 3, SCHED_IDLE 5, real time 1–2) is moved to SCHED_BATCH. comm (field 2) may hold spaces, so the
 * fields are read after its closing parenthesis.
 */
const SWEEP = `
pid=$1; every=$2; helperNice=$3
command -v chrt >/dev/null 2>&1 || { echo "unavailable chrt"; exit 3; }
while [ -d /proc/$pid ]; do
  for d in /proc/$pid/task/*; do
    t=\${d##*/}
    [ "$t" = "$pid" ] && continue
    read -r stat < "$d/stat" 2>/dev/null || continue
    set -- \${stat##*) }
    nice=\${17}
    shift 38
    if [ "$1" = 0 ]; then
      if chrt -b -p 0 "$t" >/dev/null 2>&1; then echo "batched $t"; else echo "failed $t"; fi
      [ "$nice" = 0 ] && renice -n $helperNice -p "$t" >/dev/null 2>&1
    fi
  done
  echo swept
  sleep $every
done
`;

export type PolicyState = 'starting' | 'on' | 'unavailable' | 'ended';

export interface HelperThreadPolicy {
  /** 'on' once the sweep has run; 'starting' before; 'unavailable' without /proc or chrt; 'ended' once stopped or
   *  once the process it watches is gone. */
  status(): PolicyState;
  /** Threads moved so far, and moves refused. */
  moved(): { batched: number; failed: number };
  /** Resolves after the next complete sweep (tests; at once when unavailable). */
  nextSweep(): Promise<void>;
  stop(): void;
}

export interface PolicyOptions {
  /** Seconds between sweeps (SWEEP_EVERY_S). */
  everyS?: number;
  /** The process whose threads are moved (this one); its main thread never is. */
  pid?: number;
  /** The sweep's shell and environment (tests: a missing shell, a PATH without chrt). */
  shell?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts the sweep over this process's threads (call it early: the fork copies the process as it is then). */
export function startHelperThreadPolicy(opts: PolicyOptions = {}): HelperThreadPolicy {
  const pid = opts.pid ?? process.pid;
  let state: PolicyState = 'starting';
  let batched = 0;
  let failed = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  let child: ChildProcess | null = null;
  if (process.platform !== 'linux' || !existsSync(`/proc/${pid}/task`)) state = 'unavailable';
  else {
    child = spawn(
      opts.shell ?? '/bin/sh',
      ['-c', SWEEP, 'sweep', String(pid), String(opts.everyS ?? SWEEP_EVERY_S), String(HELPER_NICE)],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
        env: opts.env ?? process.env,
      },
    );
    let rest = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('batched ')) batched++;
        else if (line.startsWith('failed ')) failed++;
        else if (line === 'swept') {
          state = 'on';
          settle();
        } else if (line.startsWith('unavailable')) state = 'unavailable';
      }
    });
    child.on('error', () => {
      state = 'unavailable';
      child = null;
      settle();
    });
    child.on('exit', () => {
      state = state === 'starting' || state === 'unavailable' ? 'unavailable' : 'ended';
      child = null;
      settle();
    });
    // The sweep never keeps the server alive, and ends by itself when the server does.
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  }
  return {
    status: () => state,
    moved: () => ({ batched, failed }),
    nextSweep: () => (child === null ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    stop() {
      child?.kill();
      child = null;
      if (state !== 'unavailable') state = 'ended';
      settle();
    },
  };
}
