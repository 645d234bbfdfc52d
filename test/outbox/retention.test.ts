// OUTBOX_RETENTION_DAYS: finished rows' payloads and attempt details are emptied once that old; the rows (and their
// keys) stay, so the same work is never sent twice. The mail log keeps the same period of lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { admin } from '../helpers/factories.ts';
import { attempts, enqueueNow, row, scriptedTopic } from '../helpers/outbox.ts';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

const DAY = 24 * 3600_000;
/** The machine's load is not what these tests are about. */
const calm = { pressure: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxRssBytes: 0 } };

describe('outbox retention', () => {
  it('empties rows done or dead more than the retention ago; pending, in-progress and recent rows keep everything', async () => {
    t = await makeApp({ ...calm, outbox: { ...testConfig().outbox, retentionDays: 30, maxAttempts: 1 } });
    const topic = scriptedTopic(t.app, 'test', (payload) =>
      (payload as { fail?: boolean }).fail
        ? { ok: false, detail: 'SMTP 550 no such user alice@example.com', retryable: false }
        : { ok: true, detail: 'sent to bob@example.com' },
    );
    const oldDone = enqueueNow(t.app, 'test', 'old-done', { payload: { to: 'bob@example.com', text: '投诉内容' } })!;
    const oldDead = enqueueNow(t.app, 'test', 'old-dead', { payload: { fail: true, to: 'alice@example.com' } })!;
    const pending = enqueueNow(t.app, 'test', 'pending', {
      payload: { to: 'carol@example.com' },
      dueAt: t.clock.now() + 40 * DAY,
    })!;
    await t.app.outbox.drain();
    expect(topic.done).toEqual([oldDone]);
    expect(topic.dead).toEqual([oldDead]);

    t.clock.advance(29 * DAY);
    const recent = enqueueNow(t.app, 'test', 'recent', { payload: { to: 'dave@example.com' } })!;
    await t.app.outbox.drain();
    expect(await t.app.outbox.purgeFinished()).toBe(0); // 29 days: nothing is old enough yet

    t.clock.advance(2 * DAY);
    expect(await t.app.outbox.purgeFinished()).toBe(2);
    for (const id of [oldDone, oldDead]) {
      expect(row(t.app, id)).toMatchObject({ payload: '{}', last_error: null, purged_at: t.clock.now() });
      expect(attempts(t.app, id).map((a) => a.detail)).toEqual([null]);
    }
    expect(row(t.app, oldDone)).toMatchObject({ status: 'done', idempotency_key: 'old-done' });
    expect(row(t.app, pending)).toMatchObject({
      status: 'pending',
      payload: JSON.stringify({ to: 'carol@example.com' }),
      purged_at: null,
    });
    expect(row(t.app, recent)).toMatchObject({
      status: 'done',
      payload: JSON.stringify({ to: 'dave@example.com' }),
      purged_at: null,
    });
    expect(attempts(t.app, recent).map((a) => a.detail)).toEqual(['sent to bob@example.com']);
    expect(JSON.stringify(t.app.sqlite.prepare('SELECT * FROM outbox_attempts').all())).not.toContain(
      'alice@example.com',
    );

    // The key outlives the payload: the same work enqueued again is still a no-op, not a second send.
    expect(enqueueNow(t.app, 'test', 'old-done')).toBeNull();
    // A purged dead letter cannot be retried: there is nothing left to send.
    const a = await admin(t.app);
    const retry = await a.send('POST', `/api/v1/admin/deliveries/${oldDead}/retry`);
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.message).toContain('保留期限');
    expect(row(t.app, oldDead)).toMatchObject({ status: 'dead' });
    expect(await t.app.outbox.purgeFinished()).toBe(0);
  });

  it('works through a large backlog in batches through the partial index of unpurged finished rows', async () => {
    t = await makeApp();
    scriptedTopic(t.app, 'test');
    for (let i = 0; i < 1200; i++) enqueueNow(t.app, 'test', `k${i}`);
    await t.app.outbox.drain();
    t.clock.advance(31 * DAY);
    expect(await t.app.outbox.purgeFinished()).toBe(1200);
    expect(t.app.sqlite.prepare('SELECT count(*) AS n FROM outbox WHERE purged_at IS NULL').get()).toEqual({ n: 0 });
    const plan = t.app.sqlite
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM outbox INDEXED BY outbox_purge_idx
      WHERE purged_at IS NULL AND status IN ('done', 'dead') AND next_attempt_at < 1 AND coalesce(done_at, next_attempt_at) < 1
      ORDER BY next_attempt_at LIMIT 500`)
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('outbox_purge_idx');
  });
});

describe('mail log retention', () => {
  it('drops lines older than the retention and keeps newer ones, at mode 0600', async () => {
    t = await makeApp({ smtpUrl: null });
    const log = join(t.dataDir, 'mail-outbox.log');
    await t.app.mailer.send({ to: 'old@example.com', subject: '旧', text: '旧的', key: 'a' });
    t.clock.advance(20 * DAY);
    await t.app.mailer.send({ to: 'middle@example.com', subject: '中', text: '中间', key: 'b' });
    t.clock.advance(15 * DAY);
    await t.app.mailer.send({ to: 'new@example.com', subject: '新', text: '新的', key: 'c' });
    expect(await t.app.mailer.purgeLog(t.clock.now() - 30 * DAY)).toBe(1);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { to: string });
    expect(lines.map((l) => l.to)).toEqual(['middle@example.com', 'new@example.com']);
    expect(await t.app.mailer.purgeLog(t.clock.now() - 30 * DAY)).toBe(0);
  });
});
