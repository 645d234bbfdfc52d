// Bad input on the events API: each one a test, each answered with the right status and the field named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { act, cast, complaintIn, RATING, type Cast } from '../helpers/lifecycle.ts';

// One app for the file: every test files its own complaint, so none depends on another.
let t: TestApp;
let who: Cast;
beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterAll(async () => {
  await t.close();
});

const statusOf = (id: number) =>
  (t.app.sqlite.prepare('SELECT status FROM complaints WHERE id = ?').get(id) as { status: string }).status;

describe('events: bad input', () => {
  it('an event the state does not allow is 409, naming the current state in Chinese', async () => {
    const id = await complaintIn(who, 'in_progress');
    const res = await act(who.consumer, id, 'confirm', { rating: RATING });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'INVALID_STATE', message: '当前状态为「处理中」，不能执行此操作' });
    expect(statusOf(id)).toBe('in_progress');
  });

  it('an event by the wrong role is 404, not 403', async () => {
    const id = await complaintIn(who, 'forwarded');
    for (const [client, type] of [
      [who.consumer, 'reply'],
      [who.staff, 'approve'],
      [who.admin, 'confirm'],
      [who.staff, 'withdraw'],
    ] as const) {
      const res = await act(client, id, type, { body: '文字', rating: RATING });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect(statusOf(id)).toBe('forwarded');
  });

  it.each([
    [{ attitude: 0, speed: 3, satisfaction: 3 }, 'rating.attitude'],
    [{ attitude: 3, speed: 6, satisfaction: 3 }, 'rating.speed'],
    [{ attitude: 3, speed: 3, satisfaction: 2.5 }, 'rating.satisfaction'],
    [{ attitude: '五', speed: 3, satisfaction: 3 }, 'rating.attitude'],
    [{ attitude: 3, speed: 3 }, 'rating.satisfaction'],
    [undefined, 'rating.attitude'],
  ])('a rating outside 1-5 (%j) is 400 naming %s', async (rating, field) => {
    const id = await complaintIn(who, 'awaiting_consumer');
    const res = await act(who.consumer, id, 'confirm', { rating });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe(field);
    expect(res.json().error.message).toMatch(/1.*5|打分/);
    expect(statusOf(id)).toBe('awaiting_consumer');
  });

  it.each(['', '   ', '\n\n'])('an empty reply (%j) is 400 on body', async (body) => {
    const id = await complaintIn(who, 'forwarded');
    const res = await act(who.staff, id, 'reply', { body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'body', message: '请填写回复内容' });
    expect(statusOf(id)).toBe('forwarded');
  });

  it('a reply over 2000 characters is 400 on body', async () => {
    const id = await complaintIn(who, 'forwarded');
    const res = await act(who.staff, id, 'reply', { body: '长'.repeat(2001) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('body');
  });

  it('a rejection without a reason is 400 on reason', async () => {
    const id = await complaintIn(who, 'submitted');
    const res = await act(who.admin, id, 'reject', {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('reason');
  });

  it.each([undefined, '', 'explode', 42])('an unknown event type (%j) is 400 on type', async (type) => {
    const id = await complaintIn(who, 'forwarded');
    const res = await who.consumer.post(`/api/v1/complaints/${id}/events`, { type });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('type');
  });

  it('a staff member of another provider cannot act on, see or download from the complaint', async () => {
    const id = await complaintIn(who, 'forwarded');
    for (const type of ['reply', 'request_info', 'propose_resolution', 'note']) {
      expect((await act(who.otherStaff, id, type, { body: '越权' })).statusCode).toBe(404);
    }
    expect((await who.otherStaff.get(`/api/v1/complaints/${id}`)).statusCode).toBe(404);
    expect((await who.otherStaff.get(`/merchant/complaints/${id}`, { accept: 'text/html' })).statusCode).toBe(404);
    expect(
      (await who.otherStaff.form(`/merchant/complaints/${id}/events`, { type: 'reply', body: '越权' })).statusCode,
    ).toBe(404);
    expect(statusOf(id)).toBe('forwarded');
  });

  it("a consumer cannot confirm (or do anything to) someone else's case", async () => {
    const id = await complaintIn(who, 'awaiting_consumer');
    for (const [type, extra] of [
      ['confirm', { rating: RATING }],
      ['dispute', { body: '不认可' }],
      ['withdraw', {}],
      ['supplement', { body: '补充' }],
    ] as const) {
      expect((await act(who.otherConsumer, id, type, extra)).statusCode).toBe(404);
    }
    expect(
      (await who.otherConsumer.send('PATCH', `/api/v1/complaints/${id}`, { title: '改别人的投诉标题' })).statusCode,
    ).toBe(404);
    expect(statusOf(id)).toBe('awaiting_consumer');
  });

  it('an id that does not exist is 404; one that is not a number is 400 on id', async () => {
    expect((await act(who.admin, 999999, 'approve')).statusCode).toBe(404);
    const bad = await who.admin.post('/api/v1/complaints/abc/events', { type: 'approve' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'INVALID', field: 'id', message: '编号必须是整数' });
  });

  it('events need a session (401) and the CSRF token (403)', async () => {
    const id = await complaintIn(who, 'forwarded');
    const anonymous = (await import('../helpers/client.ts')).Client;
    expect(
      (await new anonymous(t.app).post(`/api/v1/complaints/${id}/events`, { type: 'reply', body: 'x' })).statusCode,
    ).toBe(401);
    const res = await who.staff.post(
      `/api/v1/complaints/${id}/events`,
      { type: 'reply', body: '没有令牌' },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF');
  });

  it('editing a complaint that has gone to the provider is 409; bad fields in an edit are 400', async () => {
    const forwarded = await complaintIn(who, 'forwarded');
    const late = await who.consumer.send('PATCH', `/api/v1/complaints/${forwarded}`, { title: '想改标题了' });
    expect(late.statusCode).toBe(409);
    const rejected = await complaintIn(who, 'rejected');
    const bad = await who.consumer.send('PATCH', `/api/v1/complaints/${rejected}`, { title: '短', category: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(['title', 'category']).toContain(bad.json().error.field);
    expect(statusOf(rejected)).toBe('rejected');
  });
});
