// A fired deadline's effects come through the outbox: the tick records the breach (flag, timeline event) and one
// 'deadline_effects' row; the worker then updates the board and queues the mails. Applied twice, they change nothing
// and reach nobody twice; when they fail they are retried and finally dead-lettered where admins see them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, HOUR, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
beforeEach(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterEach(async () => {
  await t.close();
});

const all = (sql: string, ...args: unknown[]) => t.app.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];
const mails = (id: number) =>
  all(
    "SELECT channel, idempotency_key AS k FROM outbox WHERE topic = 'email' AND complaint_id = ? AND json_extract(payload, '$.kind') = 'first_response_breached' ORDER BY id",
    id,
  );
const effectsRows = (id: number) =>
  all(
    "SELECT id, status, attempts, last_error AS lastError FROM outbox WHERE topic = 'deadline_effects' AND complaint_id = ?",
    id,
  );
const publicCase = async (id: number) => (await who.consumer.get(`/api/v1/cases/${id}`)).json();

describe('deadline effects through the outbox', () => {
  it('the tick records the breach and queues one row; the worker then updates the board and queues the mails', async () => {
    const id = await complaintIn(who, 'forwarded');
    expect((await publicCase(id)).overdue).toBe(false);
    t.clock.advance(25 * HOUR);
    expect(t.app.sla.tick().fired.first_response_breach).toBe(1);

    expect(effectsRows(id)).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);
    expect(mails(id)).toEqual([]);
    expect((await publicCase(id)).overdue).toBe(false); // not yet: the board follows when the row is applied

    await t.app.outbox.drain();
    expect(effectsRows(id)).toEqual([expect.objectContaining({ status: 'done', attempts: 1 })]);
    expect(
      mails(id)
        .map((m) => m.channel)
        .sort(),
    ).toEqual(['consumer', 'provider_staff']);
    const doc = await publicCase(id);
    expect(doc.overdue).toBe(true);
    expect(doc.timeline.map((e: { type: string }) => e.type)).toContain('first_response_breached');
    const scorecard = (await who.consumer.get('/api/v1/providers/alipay/scorecard')).json();
    expect(scorecard.counts).toMatchObject({ firstResponseDecided: 1, firstResponseOnTime: 0 });
  });

  it('applying the same effects again (a crash after they committed) changes nothing and sends nothing twice', async () => {
    const id = await complaintIn(who, 'forwarded');
    t.clock.advance(25 * HOUR);
    t.app.sla.tick();
    await t.app.outbox.drain();
    const before = { mails: mails(id), doc: await publicCase(id) };
    // As if the process died after the effects' transaction and before the row was marked done.
    t.app.sqlite
      .prepare("UPDATE outbox SET status = 'pending' WHERE topic = 'deadline_effects' AND complaint_id = ?")
      .run(id);
    await t.app.outbox.drain();
    expect(effectsRows(id)).toEqual([expect.objectContaining({ status: 'done', attempts: 2 })]);
    expect(mails(id)).toEqual(before.mails);
    expect(await publicCase(id)).toEqual(before.doc);
  });

  it('a failing effect is retried with backoff, then dead-lettered; an admin retry applies it', async () => {
    const id = await complaintIn(who, 'forwarded');
    let broken = true;
    t.app.complaintHooks.onChange('flaky', (_tx, _ctx, change) => {
      if (broken && change.complaintId === id && change.event === 'first_response_breached')
        throw new Error('board unavailable');
    });
    t.clock.advance(25 * HOUR);
    t.app.sla.tick();
    await t.app.outbox.drain();
    expect(effectsRows(id)).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 1, lastError: 'Error: board unavailable' }),
    ]);
    expect(mails(id)).toEqual([]); // rolled back with the failing hook: all of the effects or none
    for (let i = 0; i < 10; i++) {
      t.clock.advance(HOUR);
      await t.app.outbox.drain();
    }
    const [dead] = effectsRows(id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 8 });
    expect(
      t.app.sqlite.prepare('SELECT first_response_breached_at FROM complaints WHERE id = ?').pluck().get(id),
    ).not.toBeNull(); // the breach itself stands

    const page = (await who.admin.get('/admin/deliveries?status=dead', { accept: 'text/html' })).body;
    expect(page).toContain('时限到期后续处理');
    broken = false;
    const retried = await who.admin.post(`/api/v1/admin/deliveries/${dead.id}/retry`, {});
    expect(retried.statusCode).toBe(200);
    await t.app.outbox.drain();
    expect(effectsRows(id)).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(mails(id)).toHaveLength(2);
  });
});
