// The merchant inbox query at the edge: wrong values are 400 INVALID on their field (API) or a message above the
// default inbox (page); the reader still answers what a schema cannot (stop words, forged cursors, page numbers).
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

const inbox = (qs: string) => who.staff.get(`/api/v1/merchant/complaints${qs}`);

describe('GET /api/v1/merchant/complaints', () => {
  it.each<[string, string, string]>([
    ['?tab=later', 'tab', '标签不是可选的值'],
    ['?status=submitted', 'status', '状态不是可选的值'],
    ['?overdue=maybe', 'overdue', '是否超时不是可选的值'],
    ['?limit=abc', 'limit', '每页条数必须是整数'],
    ['?limit=0', 'limit', '每页条数不能小于 1'],
    ['?limit=101', 'limit', '每页条数不能大于 100'],
    [`?q=${'退'.repeat(101)}`, 'q', '搜索内容不能超过 100 个字'],
    [`?cursor=${'A'.repeat(81)}`, 'cursor', '翻页参数不能超过 80 个字'],
  ])('%s is 400 INVALID on %s', async (qs, field, message) => {
    const res = await inbox(encodeURI(qs));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'INVALID', field, message } });
  });

  it('semantic rules stay with the reader: stop words, a forged cursor, a page number', async () => {
    expect((await inbox(`?q=${encodeURIComponent('的了')}`)).json().error).toMatchObject({ field: 'q' });
    expect((await inbox('?cursor=not*base64')).json().error).toMatchObject({
      field: 'cursor',
      message: '翻页参数无效，请回到第一页',
    });
    expect((await inbox('?page=2')).json().error).toMatchObject({ field: 'page' });
  });

  it('empty filters are no filters, and every field of the answer survives its schema', async () => {
    const id = await complaintIn(who, 'forwarded');
    const res = await inbox('?status=&overdue=&tab=&limit=');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual([
      'counts',
      'items',
      'match',
      'nextCursor',
      'pageSize',
      'prevCursor',
      'tab',
      'total',
    ]);
    expect(body).toMatchObject({ tab: 'todo', pageSize: 50, match: null });
    const item = body.items.find((i: { id: number }) => i.id === id);
    expect(Object.keys(item)).toEqual(
      expect.arrayContaining(['reference', 'statusLabel', 'provider', 'deadline', 'resolutionPaused', 'overdue']),
    );
    expect(item.deadline).toMatchObject({ late: false });
    expect((await inbox('?limit=1&overdue=0')).json().pageSize).toBe(1);
  });
});

describe('merchant pages', () => {
  it('a bad filter shows its message above the default inbox', async () => {
    const res = await who.staff.get('/merchant?tab=later', { accept: 'text/html' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('标签不是可选的值');
  });

  it('a non-numeric complaint id is the 404 page; a bad event form re-renders with the message', async () => {
    expect((await who.staff.get('/merchant/complaints/abc', { accept: 'text/html' })).statusCode).toBe(404);
    const id = await complaintIn(who, 'forwarded');
    const res = await who.staff.form(`/merchant/complaints/${id}/events`, { type: 'reply', body: '长'.repeat(2001) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('内容不能超过 2000 个字');
    const unknown = await who.staff.form(`/merchant/complaints/${id}/events`, { type: 'explode' });
    expect(unknown.statusCode).toBe(400);
  });
});
