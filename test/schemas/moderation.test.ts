// The moderation queue at the edge: the JSON answer keeps every field through its schema; the approve / reject forms
// meet the events schema and come back with the message beside the field; a non-numeric id is the 404 page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterAll(async () => {
  await t.close();
});

describe('moderation', () => {
  it('GET /api/v1/admin/queue answers every field of a queue item', async () => {
    const id = await complaintIn(who, 'submitted');
    const res = await who.admin.get('/api/v1/admin/queue');
    expect(res.statusCode).toBe(200);
    const item = res.json().items.find((i: { id: number }) => i.id === id);
    expect(Object.keys(item).sort()).toEqual(
      [
        'amountFen',
        'attachments',
        'category',
        'categoryLabel',
        'consent',
        'consumerEmailVerified',
        'createdAt',
        'demands',
        'description',
        'id',
        'incidentDate',
        'provider',
        'reference',
        'title',
      ].sort(),
    );
    expect(item.provider).toMatchObject({ slug: 'alipay', verified: true });
    expect(res.json().total).toBeGreaterThanOrEqual(1);
  });

  it('a rejection with an over-long reason re-renders the queue with the message beside it', async () => {
    const id = await complaintIn(who, 'submitted');
    const res = await who.admin.form(`/admin/queue/${id}/events`, { type: 'reject', reason: '长'.repeat(501) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('原因不能超过 500 个字');
    const status = (t.app.sqlite.prepare('SELECT status FROM complaints WHERE id = ?').get(id) as { status: string })
      .status;
    expect(status).toBe('submitted');
  });

  it('an unknown event type is refused on type; a non-numeric id is the 404 page', async () => {
    const id = await complaintIn(who, 'submitted');
    const res = await who.admin.form(`/admin/queue/${id}/events`, { type: 'explode' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('操作类型不是可选的值');
    expect((await who.admin.form('/admin/queue/abc/events', { type: 'approve' })).statusCode).toBe(404);
  });

  it('the queue is documented with its response schema', async () => {
    const spec = t.app.swagger() as unknown as {
      paths: Record<string, Record<string, { summary: string; responses: Record<string, unknown> }>>;
    };
    expect(spec.paths['/api/v1/admin/queue'].get.summary).toBe('待审核的投诉（审核队列，最早提交的在前）');
    expect(spec.paths['/api/v1/admin/queue'].get.responses).toHaveProperty('200');
    expect(spec.paths['/api/v1/merchant/complaints'].get.responses).toHaveProperty('200');
  });
});
