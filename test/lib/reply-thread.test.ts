// A long-lived worker thread that answers by id (lib/reply-thread.ts): answers reach the question that carries their
// id whatever the order, whoever waits when the thread dies is rejected, the next question starts a new thread, and
// an idle thread never holds the process open while one owing answers does when asked to.
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplyThread } from '../../server/lib/reply-thread.ts';

type Q = { id: number; op: 'echo' | 'later' | 'die' | 'noop'; value?: number; ms?: number };
type A = { id: number; value: number; thread: number };

// Answers `echo` at once and `later` after `ms`; `die` ends the thread with that exit code; `noop` has no answer.
const SOURCE = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', (q) => {
  if (q.op === 'die') process.exit(q.value);
  if (q.op === 'noop') return;
  const answer = () => parentPort.postMessage({ id: q.id, value: q.value * 2, thread: threadId });
  if (q.op === 'later') setTimeout(answer, q.ms); else answer();
});
`;

let started = 0;
const threads: ReplyThread<Q, A>[] = [];
function make(extra: { onError?(e: Error): void } = {}) {
  const t = new ReplyThread<Q, A>({
    name: 'test thread',
    start: () => {
      started += 1;
      return new Worker(SOURCE, { eval: true });
    },
    ...extra,
  });
  threads.push(t);
  return t;
}

describe('ReplyThread', () => {
  afterEach(async () => {
    for (const t of threads.splice(0)) await t.stop();
    started = 0;
  });

  it('hands each answer to the question with its id, in whatever order they come', async () => {
    const t = make();
    const slow = t.ask({ id: t.newId(), op: 'later', value: 1, ms: 80 });
    const fast = t.ask({ id: t.newId(), op: 'echo', value: 5 });
    const order: number[] = [];
    await Promise.all([slow.then((a) => order.push(a.value)), fast.then((a) => order.push(a.value))]);
    expect(order).toEqual([10, 2]);
    expect(started).toBe(1);
    expect(t.pending).toBe(0);
  });

  it('rejects whoever waits when the thread exits, and starts a new thread for the next question', async () => {
    const t = make();
    const first = await t.ask({ id: t.newId(), op: 'echo', value: 1 });
    const waiting = t.ask({ id: t.newId(), op: 'later', value: 1, ms: 5_000 });
    t.tell({ id: t.newId(), op: 'die', value: 3 });
    await expect(waiting).rejects.toThrow('test thread exited (3)');
    expect(t.pending).toBe(0);
    const next = await t.ask({ id: t.newId(), op: 'echo', value: 4 });
    expect(next.value).toBe(8);
    expect(next.thread).not.toBe(first.thread);
    expect(started).toBe(2);
  });

  it('rejects whoever waits when stopped, and tellIfRunning never starts a thread', async () => {
    const t = make();
    t.tellIfRunning({ id: t.newId(), op: 'noop' });
    expect(started).toBe(0);
    const waiting = expect(t.ask({ id: t.newId(), op: 'later', value: 1, ms: 5_000 })).rejects.toThrow(
      'test thread stopped',
    );
    await t.stop();
    await waiting;
    await t.stop(); // twice is harmless
  });

  it('reports an uncaught error in the thread and rejects the waiting', async () => {
    const errors: string[] = [];
    const t = new ReplyThread<Q, A>({
      name: 'throwing thread',
      onError: (e) => errors.push(e.message),
      start: () =>
        new Worker(`require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });`, {
          eval: true,
        }),
    });
    threads.push(t);
    await expect(t.ask({ id: t.newId(), op: 'echo', value: 1 })).rejects.toThrow('boom');
    expect(errors).toEqual(['boom']);
  });

  it('holds the process open only while answers are owed, and only with holdOpen', () => {
    // A child process asks a question that takes 300 ms and does nothing else: with holdOpen it gets its answer before
    // exiting; without, the process ends at once (an idle or owing thread is unref'd).
    const script = (holdOpen: boolean) => `
      import { Worker } from 'node:worker_threads';
      import { ReplyThread } from ${JSON.stringify(new URL('../../server/lib/reply-thread.ts', import.meta.url).href)};
      const t = new ReplyThread({ name: 't', holdOpen: ${holdOpen}, start: () => new Worker(${JSON.stringify(SOURCE)}, { eval: true, execArgv: [] }) });
      t.ask({ id: t.newId(), op: 'later', value: 21, ms: 300 }).then((a) => console.log('answer', a.value));
    `;
    const run = (holdOpen: boolean) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(holdOpen)], {
        encoding: 'utf8',
        timeout: 20_000,
      });
    const held = run(true);
    expect(held.stderr).toBe('');
    expect(held.stdout.trim()).toBe('answer 42');
    const loose = run(false);
    expect(loose.status).toBe(0);
    expect(loose.stdout.trim()).toBe('');
  }, 30_000);
});
