// What a transition writes besides the status: internal notes stay internal, supplements carry files, hooks and
// notifications commit with the change (or not at all), and a reopen restarts the clocks only within 30 days.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { png } from '../helpers/files.ts';
import { act, cast, complaintIn, DAY, HOUR, mustAct, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
beforeEach(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterEach(async () => {
  await t.close();
});

const emails = (id: number) =>
  t.app.sqlite
    .prepare(
      "SELECT channel, json_extract(payload, '$.kind') AS kind, json_extract(payload, '$.to') AS to_ FROM outbox WHERE topic = 'email' AND complaint_id = ? ORDER BY id",
    )
    .all(id) as { channel: string; kind: string; to_: string }[];

describe('what transitions write', () => {
  it('an internal note is shown to staff and admins, never to the consumer', async () => {
    const id = await complaintIn(who, 'forwarded');
    await mustAct(who.staff, id, 'note', { body: '内部：已转风控部门核查，勿告知用户。' });
    const staffView = (await who.staff.get(`/api/v1/complaints/${id}`)).json();
    expect(staffView.timeline.some((e: { type: string; internal: boolean }) => e.type === 'note' && e.internal)).toBe(
      true,
    );
    expect((await who.admin.get(`/api/v1/complaints/${id}`)).body).toContain('勿告知用户');
    expect((await who.consumer.get(`/api/v1/complaints/${id}`)).body).not.toContain('勿告知用户');
    expect((await who.consumer.get(`/complaints/${id}`, { accept: 'text/html' })).body).not.toContain('勿告知用户');
    expect(staffView.status).toBe('forwarded'); // a note is not the first response
    expect(staffView.deadlines.firstResponseAt).toBeNull();
    expect(emails(id).filter((e) => e.channel === 'consumer')).toEqual([expect.objectContaining({ kind: 'approved' })]);
  });

  it('a supplement with a file (multipart) attaches it to its event and resumes the paused clock', async () => {
    const id = await complaintIn(who, 'forwarded');
    t.clock.advance(HOUR);
    await mustAct(who.staff, id, 'request_info', { body: '请上传扣款短信截图。' });
    t.clock.advance(5 * HOUR);
    const res = await who.consumer.multipart(
      `/api/v1/complaints/${id}/events`,
      { type: 'supplement', body: '截图见附件。' },
      [{ filename: '短信.png', data: png(), type: 'image/png' }],
    );
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v.status).toBe('in_progress');
    const ev = v.timeline.at(-1);
    expect(ev).toMatchObject({ type: 'supplement', data: { attachments: 1 } });
    const row = t.app.sqlite.prepare('SELECT event_id FROM attachments WHERE complaint_id = ?').get(id) as {
      event_id: number;
    };
    expect(row.event_id).toBe(ev.id);
    // Paused 5 h awaiting the consumer: the resolution due time moved 5 h later, and the pause is on record.
    expect(v.deadlines.resolutionDueAt).toBe(new Date(T0 + 53 * HOUR).toISOString());
    expect(v.deadlines.resolutionPausedMs).toBe(5 * HOUR);
    expect((await who.staff.get(v.attachments[0].url)).statusCode).toBe(200);
    expect((await who.otherStaff.get(v.attachments[0].url)).statusCode).toBe(404);
  });

  it('runs the change hooks inside the transaction: a failing hook rolls the whole transition back', async () => {
    const seen: unknown[] = [];
    let fail = false;
    t.app.complaintHooks.onChange('test', (_tx, _ctx, change) => {
      seen.push(change);
      if (fail) throw new Error('hook refused');
    });
    const id = await complaintIn(who, 'submitted');
    await mustAct(who.admin, id, 'approve');
    expect(seen.at(-1)).toEqual({ complaintId: id, event: 'approve', from: 'submitted', to: 'forwarded' });
    fail = true;
    const before = (
      t.app.sqlite.prepare('SELECT count(*) AS n FROM complaint_events WHERE complaint_id = ?').get(id) as { n: number }
    ).n;
    const mails = emails(id).length;
    const res = await act(who.staff, id, 'reply', { body: '这次会失败' });
    expect(res.statusCode).toBe(500);
    expect(t.app.sqlite.prepare('SELECT status, first_response_at FROM complaints WHERE id = ?').get(id)).toEqual({
      status: 'forwarded',
      first_response_at: null,
    });
    expect(
      (
        t.app.sqlite.prepare('SELECT count(*) AS n FROM complaint_events WHERE complaint_id = ?').get(id) as {
          n: number;
        }
      ).n,
    ).toBe(before);
    expect(emails(id).length).toBe(mails);
  });

  it('approval plans the deliveries in the same transaction; provider actions e-mail the consumer', async () => {
    const id = await complaintIn(who, 'submitted');
    await mustAct(who.admin, id, 'approve');
    const deliveries = t.app.sqlite
      .prepare("SELECT channel FROM outbox WHERE topic = 'delivery' AND complaint_id = ?")
      .all(id) as { channel: string }[];
    expect(deliveries.map((d) => d.channel)).toContain('portal');
    await mustAct(who.staff, id, 'reply', { body: '已收到。' });
    await mustAct(who.staff, id, 'propose_resolution', { body: '已退款。' });
    const kinds = emails(id)
      .filter((e) => e.channel === 'consumer')
      .map((e) => e.kind);
    expect(kinds).toEqual(['approved', 'provider_reply', 'provider_proposal']);
    expect(emails(id).every((e) => e.channel !== 'consumer' || e.to_ === who.consumer.email)).toBe(true);
  });

  it('reopen within 30 days goes back to the provider with fresh clocks and a new delivery round', async () => {
    const id = await complaintIn(who, 'resolved');
    t.clock.advance(29 * DAY);
    const v = await mustAct(who.consumer, id, 'reopen', { body: '退款又被撤回了。' });
    const now = T0 + 29 * DAY;
    expect(v.status).toBe('forwarded');
    expect(v.deadlines).toMatchObject({
      firstResponseDueAt: new Date(now + 24 * HOUR).toISOString(),
      resolutionDueAt: new Date(now + 48 * HOUR).toISOString(),
      firstResponseAt: null,
    });
    const portal = t.app.sqlite
      .prepare("SELECT count(*) AS n FROM outbox WHERE topic = 'delivery' AND channel = 'portal' AND complaint_id = ?")
      .get(id) as { n: number };
    expect(portal.n).toBe(2);
    expect(
      (await who.staff.get('/api/v1/merchant/complaints')).json().items.map((i: { id: number }) => i.id),
    ).toContain(id);
  });

  it('reopen after 30 days is 409', async () => {
    const id = await complaintIn(who, 'closed_unresolved');
    t.clock.advance(30 * DAY + 1);
    // Sessions last 30 days too: log in again.
    expect(
      (await who.consumer.post('/api/v1/auth/login', { email: who.consumer.email, password: 'correct-horse-1' }))
        .statusCode,
    ).toBe(200);
    const res = await act(who.consumer, id, 'reopen');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('30 天');
    expect(res.json().error.message).toContain('当前状态为「已关闭（未解决）」');
  });

  it('a withdrawn case cannot be reopened', async () => {
    const id = await complaintIn(who, 'withdrawn');
    expect((await act(who.consumer, id, 'reopen')).statusCode).toBe(409);
  });
});
