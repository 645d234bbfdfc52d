// The deadline scheduler against the real database: warnings and breaches fire once, with their timeline event and
// notifications; auto-close after 7 days; the paused clock does not breach; the timer is armed for the next deadline.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { act, cast, complaintIn, DAY, HOUR, mustAct, type Cast } from '../helpers/lifecycle.ts';
import { DeadlineScheduler } from '../../server/modules/sla/scheduler.ts';
import { transitionStatements } from '../../server/modules/complaints/transitions.ts';
import { effectsQueue } from '../../server/modules/sla/effects.ts';

let t: TestApp;
let who: Cast;
beforeEach(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterEach(async () => {
  await t.close();
});

const row = (id: number) =>
  t.app.sqlite.prepare('SELECT * FROM complaints WHERE id = ?').get(id) as Record<string, number | string | null>;
const events = (id: number, type: string) =>
  t.app.sqlite.prepare('SELECT * FROM complaint_events WHERE complaint_id = ? AND type = ?').all(id, type) as Record<
    string,
    unknown
  >[];
const mails = (id: number, kind: string) =>
  t.app.sqlite
    .prepare(
      "SELECT channel FROM outbox WHERE topic = 'email' AND complaint_id = ? AND json_extract(payload, '$.kind') = ?",
    )
    .all(id, kind) as { channel: string }[];

describe('deadline scheduler', () => {
  it('warns provider staff once at 80% of the first-response window', async () => {
    const id = await complaintIn(who, 'forwarded');
    t.clock.advance(19 * HOUR);
    expect(t.app.sla.tick().fired.first_response_warning).toBe(0);
    t.clock.advance(12 * 60_000 + 1); // 19.2 h
    expect(t.app.sla.tick().fired.first_response_warning).toBe(1);
    expect(t.app.sla.tick().fired.first_response_warning).toBe(0);
    expect(row(id).first_response_warned_at).toBe(T0 + 19.2 * HOUR + 1);
    expect(events(id, 'first_response_warning')).toHaveLength(1);
    await t.app.outbox.drain(); // the warning's effects (its mails) come through the outbox
    expect(mails(id, 'first_response_warning').map((m) => m.channel)).toEqual(['provider_staff']);
    expect(row(id).next_deadline_at).toBe(T0 + 24 * HOUR);
  });

  it('flags a first-response breach once: flag, timeline event, mail to consumer and staff; shown as 超时 everywhere', async () => {
    const id = await complaintIn(who, 'forwarded');
    t.clock.advance(25 * HOUR);
    const first = t.app.sla.tick();
    expect(first.fired).toMatchObject({ first_response_breach: 1, first_response_warning: 0 });
    expect(t.app.sla.tick().processed).toBe(0);
    expect(row(id)).toMatchObject({
      first_response_breached_at: T0 + 24 * HOUR,
      first_response_warned_at: T0 + 25 * HOUR,
    });
    expect(events(id, 'first_response_breached')).toHaveLength(1);
    await t.app.outbox.drain();
    expect(
      mails(id, 'first_response_breached')
        .map((m) => m.channel)
        .sort(),
    ).toEqual(['consumer', 'provider_staff']);
    expect(mails(id, 'first_response_warning')).toEqual([]); // a warning after the breach is never sent

    const v = (await who.consumer.get(`/api/v1/complaints/${id}`)).json();
    expect(v.deadlines).toMatchObject({
      firstResponseBreachedAt: new Date(T0 + 24 * HOUR).toISOString(),
      overdue: true,
    });
    const page = (await who.consumer.get(`/complaints/${id}`, { accept: 'text/html' })).body;
    expect(page).toContain('class="badge overdue"');
    expect(page).toContain('95188');
    expect(page).toContain('12378');
    expect(page).toContain('12363');
    expect((await who.consumer.get('/me/complaints', { accept: 'text/html' })).body).toContain('超时');
    const inbox = (await who.staff.get('/merchant', { accept: 'text/html' })).body;
    expect(inbox).toContain('已超时 1 小时');
    expect(inbox).toContain('class="badge overdue"');
    expect((await who.admin.get('/admin', { accept: 'text/html' })).body).toMatch(/超时/);
  });

  it('answering in time means no first-response warning or breach', async () => {
    const id = await complaintIn(who, 'forwarded');
    t.clock.advance(HOUR);
    await mustAct(who.staff, id, 'reply', { body: '已收到。' });
    t.clock.advance(30 * HOUR);
    const r = t.app.sla.tick();
    expect(r.fired.first_response_breach + r.fired.first_response_warning).toBe(0);
    expect(r.fired.resolution_warning).toBe(0);
    expect(row(id).first_response_breached_at).toBeNull();
  });

  it('the resolution clock stands still while awaiting the consumer and resumes, shifted, on dispute', async () => {
    const id = await complaintIn(who, 'forwarded');
    t.clock.advance(10 * HOUR);
    await mustAct(who.staff, id, 'propose_resolution', { body: '已退款。' });
    t.clock.advance(3 * DAY); // far beyond 48 h, but paused
    expect(t.app.sla.tick().processed).toBe(0);
    expect(row(id).resolution_breached_at).toBeNull();
    await mustAct(who.consumer, id, 'dispute', { body: '并没有收到。' });
    const due = T0 + 48 * HOUR + 3 * DAY;
    expect(row(id)).toMatchObject({ resolution_due_at: due, resolution_paused_ms: 3 * DAY, status: 'in_progress' });
    t.clock.advance(38 * HOUR - 1);
    expect(t.app.sla.tick().fired.resolution_breach).toBe(0);
    t.clock.advance(1);
    expect(t.app.sla.tick().fired.resolution_breach).toBe(1);
    expect(row(id).resolution_breached_at).toBe(due);
  });

  it('closes a case awaiting the consumer after 7 days as closed_unconfirmed, not before', async () => {
    const id = await complaintIn(who, 'awaiting_consumer');
    t.clock.advance(7 * DAY - 1);
    expect(t.app.sla.tick().fired.auto_close).toBe(0);
    t.clock.advance(1);
    expect(t.app.sla.tick().fired.auto_close).toBe(1);
    expect(row(id)).toMatchObject({
      status: 'closed_unconfirmed',
      closed_at: T0 + 7 * DAY,
      next_deadline_at: null,
      resolved_at: null,
    });
    expect(events(id, 'auto_close')).toEqual([
      expect.objectContaining({ actor_role: 'system', status: 'closed_unconfirmed' }),
    ]);
    await t.app.outbox.drain();
    expect(mails(id, 'auto_closed').map((m) => m.channel)).toEqual(['consumer']);
    // Honest closure: it can be reopened, but it never counts as resolved.
    expect((await act(who.consumer, id, 'reopen')).statusCode).toBe(200);
  });

  it('a category override from SLA_OVERRIDES shortens the deadline', async () => {
    await t.close();
    t = await makeApp({ slaOverrides: { 'unauthorized-debit': { firstResponseHours: 12 } } });
    who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded', { category: 'unauthorized-debit' });
    expect(row(id).first_response_due_at).toBe(T0 + 12 * HOUR);
    t.clock.advance(12 * HOUR);
    expect(t.app.sla.tick().fired.first_response_breach).toBe(1);
    const other = await complaintIn(who, 'forwarded');
    expect(row(other).first_response_due_at).toBe(T0 + 12 * HOUR + 24 * HOUR);
  });

  it('processes more than one batch in a tick, in index order, and one failing complaint does not stop the rest', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await complaintIn(who, 'forwarded'));
    const queue = effectsQueue(t.app.outbox);
    const flaky: typeof queue = {
      queue(tx, ctx, id, e) {
        if (id === ids[2]) throw new Error('boom');
        queue.queue(tx, ctx, id, e);
      },
    };
    const small = new DeadlineScheduler({
      db: t.app.db,
      sqlite: t.app.sqlite,
      clock: t.clock,
      testClock: null,
      log: t.app.log,
      batchSize: 2,
      deps: {
        statements: transitionStatements(t.app.db),
        timeline: t.app.timeline,
        hooks: t.app.complaintHooks,
        deadlines: t.app.deadlinePolicy,
        forwarding: t.app.forwarding,
        notifications: t.app.notifications,
      },
      effects: flaky,
    });
    t.clock.advance(25 * HOUR);
    const r = small.tick();
    expect(r).toMatchObject({ processed: 4, failed: 1 });
    expect(ids.map((id) => row(id).first_response_breached_at !== null)).toEqual([true, true, false, true, true]);
    expect(row(ids[2]).next_deadline_at).toBe(t.clock.now() + 60_000);
    // The failed complaint's savepoint rolled back whole: no event, no queued effects.
    const of = (id: number, sql: string) => (t.app.sqlite.prepare(sql).get(id) as { n: number }).n;
    expect(
      of(
        ids[2],
        "SELECT count(*) AS n FROM complaint_events WHERE complaint_id = ? AND type = 'first_response_breached'",
      ),
    ).toBe(0);
    expect(of(ids[2], "SELECT count(*) AS n FROM outbox WHERE complaint_id = ? AND topic = 'deadline_effects'")).toBe(
      0,
    );
    expect(of(ids[1], "SELECT count(*) AS n FROM outbox WHERE complaint_id = ? AND topic = 'deadline_effects'")).toBe(
      1,
    );
  });
});

describe('scheduler timer', () => {
  it('is armed for the soonest deadline and re-armed earlier when a transition writes one', async () => {
    await t.close();
    t = await makeApp({ workers: true });
    who = await cast(t.app);
    expect(t.app.sla.nextWake).toBeNull();
    const a = await complaintIn(who, 'awaiting_consumer');
    // Approval armed it for a's first warning; the proposal's later deadline does not move it (an early wake finds
    // nothing and re-arms). Any wake re-reads the index:
    expect(t.app.sla.nextWake).toBe(T0 + 19.2 * HOUR);
    t.clock.advance(0);
    expect(t.app.sla.nextWake).toBe(T0 + 7 * DAY); // a's auto-close
    const b = await complaintIn(who, 'forwarded');
    expect(t.app.sla.nextWake).toBe(T0 + 19.2 * HOUR); // b's warning is sooner: re-armed
    t.clock.advance(19.5 * HOUR); // moving the test clock wakes it: b's warning is due and runs at once
    expect(row(b).first_response_warned_at).toBe(T0 + 19.5 * HOUR);
    expect(row(a).status).toBe('awaiting_consumer');
    expect(t.app.sla.nextWake).toBe(T0 + 24 * HOUR); // then b's breach
  });

  it('catches up one batch at a time, letting the event loop run between batches', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await complaintIn(who, 'forwarded'));
    t.clock.advance(25 * HOUR);
    const small = new DeadlineScheduler({
      db: t.app.db,
      sqlite: t.app.sqlite,
      clock: t.clock,
      testClock: null,
      log: t.app.log,
      batchSize: 2,
      deps: {
        statements: transitionStatements(t.app.db),
        timeline: t.app.timeline,
        hooks: t.app.complaintHooks,
        deadlines: t.app.deadlinePolicy,
        forwarding: t.app.forwarding,
        notifications: t.app.notifications,
      },
      effects: effectsQueue(t.app.outbox),
    });
    const breached = () => ids.filter((id) => row(id).first_response_breached_at !== null).length;
    small.start();
    try {
      expect(breached()).toBe(2); // the first batch, synchronously at start
      await new Promise((r) => setTimeout(r, 20));
      expect(breached()).toBe(5); // the rest in later turns
      expect(small.nextWake).toBe(T0 + 48 * HOUR * 0.8); // then armed for the resolution warnings
    } finally {
      small.stop();
    }
  });
});
