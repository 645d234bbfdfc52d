// The outbox worker's rules, with a scripted topic: idempotent enqueue inside transactions, attempts recorded,
// backoff, dead letters, leases, and waking (after commit, on its timer, on the test clock, at start).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { TestClock } from '../../server/lib/clock.ts';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { attempts, ctxOf, enqueueNow, row, scriptedTopic } from '../helpers/outbox.ts';

const HOUR = 3600_000;
let t: TestApp;
afterEach(async () => {
  await t?.close();
});

describe('enqueue', () => {
  beforeEach(async () => {
    t = await makeApp();
  });

  it('is idempotent on its key and commits or rolls back with the caller', async () => {
    const id = enqueueNow(t.app, 'test', 'k1');
    expect(id).toBeTypeOf('number');
    expect(enqueueNow(t.app, 'test', 'k1')).toBeNull();
    expect(() =>
      t.app.db.transaction((tx) => {
        t.app.outbox.enqueue(tx, ctxOf(t.app), { topic: 'test', key: 'k2', payload: {} });
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(t.app.sqlite.prepare('SELECT idempotency_key FROM outbox').pluck().all()).toEqual(['k1']);
    expect(row(t.app, id!)).toMatchObject({ status: 'pending', attempts: 0, max_attempts: 8, next_attempt_at: T0 });
  });
});

describe('worker (drain)', () => {
  beforeEach(async () => {
    t = await makeApp();
  });

  it('records a successful attempt and calls onDone once', async () => {
    const topic = scriptedTopic(t.app, 'test', () => ({ ok: true, detail: '250 OK' }));
    const id = enqueueNow(t.app, 'test', 'k')!;
    expect(await t.app.outbox.drain()).toBe(1);
    expect(row(t.app, id)).toMatchObject({ status: 'done', attempts: 1, done_at: T0, claimed_by: null });
    expect(attempts(t.app, id)).toEqual([{ attempt: 1, ok: 1, detail: '250 OK', finished_at: T0 }]);
    expect(topic.done).toEqual([id]);
    expect(await t.app.outbox.drain()).toBe(0);
  });

  it('retries a failure after a jittered backoff within the window, and not before it is due', async () => {
    const topic = scriptedTopic(t.app, 'test', (_p, n) =>
      n < 3 ? { ok: false, detail: `fail ${n}` } : { ok: true, detail: 'ok' },
    );
    const id = enqueueNow(t.app, 'test', 'k')!;
    await t.app.outbox.drain();
    const next = row(t.app, id).next_attempt_at as number;
    expect(next - T0).toBeGreaterThanOrEqual(1000);
    expect(next - T0).toBeLessThanOrEqual(30_000);
    expect(row(t.app, id)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'fail 1' });
    await t.app.outbox.drain(); // not due yet
    expect(topic.calls).toHaveLength(1);
    t.clock.advance(next - T0);
    await t.app.outbox.drain();
    const next2 = row(t.app, id).next_attempt_at as number;
    expect(next2 - t.clock.now()).toBeLessThanOrEqual(60_000);
    t.clock.advance(HOUR);
    await t.app.outbox.drain();
    expect(row(t.app, id)).toMatchObject({ status: 'done', attempts: 3, last_error: null });
    expect(attempts(t.app, id).map((a) => a.ok)).toEqual([0, 0, 1]);
  });

  it('dead-letters after max attempts, or at once when not retryable; a thrown error counts as a failure', async () => {
    const topic = scriptedTopic(t.app, 'test', (p) => {
      if ((p as { key: string }).key === 'fatal') return { ok: false, detail: 'HTTP 410', retryable: false };
      throw new Error('socket hang up');
    });
    const a = enqueueNow(t.app, 'test', 'flaky', { maxAttempts: 2 })!;
    const b = enqueueNow(t.app, 'test', 'fatal')!;
    await t.app.outbox.drain();
    expect(row(t.app, b)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'HTTP 410' });
    expect(row(t.app, a)).toMatchObject({ status: 'pending', last_error: 'Error: socket hang up' });
    t.clock.advance(HOUR);
    await t.app.outbox.drain();
    expect(row(t.app, a)).toMatchObject({ status: 'dead', attempts: 2 });
    expect(topic.dead.sort()).toEqual([a, b].sort());
    t.clock.advance(10 * HOUR);
    await t.app.outbox.drain();
    expect(topic.calls).toHaveLength(3);
  });

  it('a row for a topic nobody handles is retried, not lost', async () => {
    const id = enqueueNow(t.app, 'later-topic', 'k')!;
    await t.app.outbox.drain();
    expect(row(t.app, id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: '没有处理「later-topic」的程序',
    });
    scriptedTopic(t.app, 'later-topic');
    t.clock.advance(HOUR);
    await t.app.outbox.drain();
    expect(row(t.app, id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a claim whose worker died is taken over only after its lease expires, and the cut-short attempt is closed', async () => {
    const topic = scriptedTopic(t.app, 'test');
    const id = enqueueNow(t.app, 'test', 'k')!;
    // Another worker claims it and records the start of its attempt, then dies.
    const { OutboxWorker } = await import('../../server/modules/outbox/worker.ts');
    const ghost = new OutboxWorker({
      db: t.app.db,
      clock: t.clock,
      registry: { get: () => undefined } as never,
      backoff: { baseMs: 1, factor: 2, capMs: 1, floorMs: 1 },
      leaseMs: 60_000,
      batchSize: 10,
      log: t.app.log,
    });
    expect(ghost.claim(10).map((r) => r.id)).toEqual([id]);
    t.app.sqlite.prepare('INSERT INTO outbox_attempts (outbox_id, attempt, started_at) VALUES (?, 1, ?)').run(id, T0);
    expect(await t.app.outbox.drain()).toBe(0);
    t.clock.advance(59_999);
    expect(await t.app.outbox.drain()).toBe(0);
    t.clock.advance(1);
    expect(await t.app.outbox.drain()).toBe(1);
    expect(row(t.app, id)).toMatchObject({ status: 'done', attempts: 2 });
    const rows = attempts(t.app, id);
    expect(rows.map((a) => [a.attempt, a.ok])).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(rows[0]!.detail).toMatch(/^中断/);
    expect(topic.calls).toHaveLength(1);
  });

  it('a row due later waits for its time', async () => {
    const topic = scriptedTopic(t.app, 'test');
    enqueueNow(t.app, 'test', 'k', { dueAt: T0 + HOUR });
    await t.app.outbox.drain();
    expect(topic.calls).toHaveLength(0);
    t.clock.advance(HOUR);
    await t.app.outbox.drain();
    expect(topic.calls).toHaveLength(1);
  });
});

describe('worker (running)', () => {
  it('wakes after an enqueue commits, and when the test clock reaches the next due row', async () => {
    t = await makeApp({ workers: true });
    const topic = scriptedTopic(t.app, 'test', (_p, n) =>
      n === 1 ? { ok: false, detail: 'busy' } : { ok: true, detail: 'ok' },
    );
    const id = enqueueNow(t.app, 'test', 'k')!;
    await vi.waitFor(() => expect(row(t.app, id)).toMatchObject({ status: 'pending', attempts: 1 }));
    t.clock.advance(HOUR);
    await vi.waitFor(() => expect(row(t.app, id)).toMatchObject({ status: 'done', attempts: 2 }));
    expect(topic.calls).toHaveLength(2);
  });

  it('sets a timer for the next due row (no enqueue, no clock jump: real time passes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-outbox-'));
    const clock = new TestClock(); // follows real time
    const app = await buildApp(testConfig({ dataDir: dir, workers: true }), { clock });
    await app.ready();
    try {
      const topic = scriptedTopic(app, 'test');
      enqueueNow(app, 'test', 'k', { dueAt: clock.now() + 300 });
      expect(topic.calls).toHaveLength(0);
      await vi.waitFor(() => expect(topic.calls).toHaveLength(1), { timeout: 5000 });
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on start processes everything left due by a previous process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-outbox-'));
    const databasePath = join(dir, 'db.sqlite');
    const first = await makeApp({ databasePath });
    // 'email' is a topic the app itself registers before its worker starts.
    const ids = [1, 2, 3].map(
      (i) =>
        enqueueNow(first.app, 'email', `k${i}`, {
          payload: { to: `u${i}@example.com`, subject: '通知', text: '正文' },
        })!,
    );
    await first.close();
    t = await makeApp({ databasePath, workers: true });
    await vi.waitFor(() => expect(ids.map((id) => row(t.app, id).status)).toEqual(['done', 'done', 'done']));
    const log = readFileSync(join(t.dataDir, 'mail-outbox.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).to);
    expect(log.sort()).toEqual(['u1@example.com', 'u2@example.com', 'u3@example.com']);
    rmSync(dir, { recursive: true, force: true });
  });
  it('closing the app aborts a send in flight and records it, so the next start sends it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-outbox-'));
    const databasePath = join(dir, 'db.sqlite');
    const first = await makeApp({ databasePath, workers: true });
    let started: () => void = () => {};
    const inFlight = new Promise<void>((r) => {
      started = r;
    });
    first.app.outbox.registerHandler('slow', {
      send: (_item, attempt) =>
        new Promise((resolve) => {
          started();
          attempt.signal.addEventListener('abort', () => resolve({ ok: false, detail: '已中止（服务关闭）' }));
        }),
    });
    const id = enqueueNow(first.app, 'slow', 'k')!;
    await inFlight;
    await first.close();
    t = await makeApp({ databasePath });
    // Released, not backed off: due at once, for this process or any other.
    expect(row(t.app, id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: '已中止（服务关闭）',
      claimed_by: null,
      next_attempt_at: T0,
    });
    expect(attempts(t.app, id)).toEqual([expect.objectContaining({ attempt: 1, ok: 0, detail: '已中止（服务关闭）' })]);
    rmSync(dir, { recursive: true, force: true });
  });
});
