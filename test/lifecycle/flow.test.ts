import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { act, cast, complaintIn, HOUR, mustAct, RATING } from '../helpers/lifecycle.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

describe('complaint lifecycle over the events API', () => {
  it('approve -> reply -> propose -> confirm: resolved, with one timeline event per step', async () => {
    const who = await cast(t.app);
    const id = await complaintIn(who, 'submitted');
    let v = await mustAct(who.admin, id, 'approve');
    expect(v.status).toBe('forwarded');
    expect(v.deadlines).toMatchObject({
      firstResponseDueAt: new Date(T0 + 24 * HOUR).toISOString(),
      resolutionDueAt: new Date(T0 + 48 * HOUR).toISOString(),
      firstResponseBreachedAt: null,
      resolutionBreachedAt: null,
      overdue: false,
    });
    t.clock.advance(2 * HOUR);
    v = await mustAct(who.staff, id, 'reply', { body: '您好，我们已收到，正在核实退款进度。' });
    expect(v.status).toBe('in_progress');
    expect(v.deadlines.firstResponseAt).toBe(new Date(T0 + 2 * HOUR).toISOString());
    v = await mustAct(who.staff, id, 'propose_resolution', { body: '已为您全额退款 569.78 元，请查收。' });
    expect(v.status).toBe('awaiting_consumer');
    expect(v.deadlines.resolutionPaused).toBe(true);
    v = await mustAct(who.consumer, id, 'confirm', { rating: RATING, body: '已收到退款，谢谢。' });
    expect(v.status).toBe('resolved');
    const types = v.timeline.map((e: { type: string }) => e.type).filter((x: string) => x !== 'delivery');
    expect(types).toEqual(['submitted', 'approve', 'reply', 'propose_resolution', 'confirm']);
    const confirm = v.timeline.at(-1);
    expect(confirm).toMatchObject({
      actorRole: 'consumer',
      status: 'resolved',
      body: '已收到退款，谢谢。',
      data: { rating: RATING },
    });
    const row = t.app.sqlite
      .prepare('SELECT resolved_at, next_deadline_at FROM complaints WHERE id = ?')
      .get(id) as Record<string, number | null>;
    expect(row).toEqual({ resolved_at: T0 + 2 * HOUR, next_deadline_at: null });
  });

  it('reject with a reason, the consumer edits and resubmits: back to submitted', async () => {
    const who = await cast(t.app);
    const id = await complaintIn(who, 'rejected');
    const mine = (await who.consumer.get(`/api/v1/complaints/${id}`)).json();
    expect(mine.status).toBe('rejected');
    expect(mine.timeline.at(-1)).toMatchObject({ type: 'reject', body: '请补充交易时间和金额' });
    const res = await who.consumer.send('PATCH', `/api/v1/complaints/${id}`, {
      description: '11月1日 14:32 在某商户消费 569.78 元后申请退款，商家已同意，但一直未到账。',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'submitted', description: expect.stringContaining('14:32') });
    expect(res.json().timeline.at(-1)).toMatchObject({
      type: 'resubmit',
      status: 'submitted',
      data: { changed: ['description'] },
    });
    expect((await act(who.admin, id, 'approve')).statusCode).toBe(200);
  });
});
