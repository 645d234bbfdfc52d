// The board, provider, delivery and ops routes refuse what their schemas forbid: 400, code INVALID, the field and its
// Chinese label; pages show the message beside the field; the rules a schema cannot say still answer from the reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin } from '../helpers/factories.ts';

let t: TestApp;
let a: Client;
beforeAll(async () => {
  t = await makeApp({ testClock: true });
  a = await admin(t.app);
});
afterAll(async () => t?.close());

const error = async (res: Promise<{ statusCode: number; json(): { error: unknown } }>) => {
  const r = await res;
  expect(r.statusCode).toBe(400);
  return r.json().error;
};

describe('board API', () => {
  it('names the query parameter and its label', async () => {
    const anon = new Client(t.app);
    expect(await error(anon.get('/api/v1/cases?pageSize=101'))).toEqual({
      code: 'INVALID',
      field: 'pageSize',
      message: '每页条数不能大于 100',
    });
    expect(await error(anon.get('/api/v1/cases?page=x'))).toEqual({
      code: 'INVALID',
      field: 'page',
      message: '页码必须是整数',
    });
    expect(await error(anon.get('/api/v1/cases?category=nope'))).toEqual({
      code: 'INVALID',
      field: 'category',
      message: '问题类型不是可选的值',
    });
    expect(await error(anon.get('/api/v1/cases?amountMin=-1'))).toEqual({
      code: 'INVALID',
      field: 'amountMin',
      message: '最低金额不能小于 0',
    });
    // What a schema cannot say: a day that does not exist, to before from, the last page of the search window.
    expect(await error(anon.get('/api/v1/cases?to=2026-02-30'))).toMatchObject({
      field: 'to',
      message: '结束日期格式应为 年-月-日，例如 2026-01-31',
    });
    expect(await error(anon.get('/api/v1/cases?from=2026-05-01&to=2026-04-01'))).toMatchObject({
      field: 'to',
      message: '结束日期不能早于开始日期',
    });
    expect(await error(anon.get('/api/v1/cases?pageSize=100&page=101'))).toMatchObject({
      field: 'page',
      message: '页码应为 1 到 100 之间的整数',
    });
    // Valid input answers as before, unknown parameters ignored.
    const ok = await anon.get('/api/v1/cases?pageSize=5&page=2&sort=&category=&utm=x');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ page: 2, pageSize: 5, items: [], match: 'all', facets: { provider: {} } });
  });

  it('answers 400 naming the id for one that is not, and checks bodies', async () => {
    expect(await error(new Client(t.app).get('/api/v1/cases/abc/similar'))).toEqual({
      code: 'INVALID',
      field: 'id',
      message: '编号必须是整数',
    });
    expect(await error(new Client(t.app).get('/api/v1/cases/0'))).toEqual({
      code: 'INVALID',
      field: 'id',
      message: '编号不能小于 1',
    });
    expect(await error(new Client(t.app).post('/api/v1/preview', { description: '内容' }))).toEqual({
      code: 'INVALID',
      field: 'title',
      message: '请填写投诉标题',
    });
    expect(await error(a.post('/api/v1/admin/cases/1/publication', { type: 'delete' }))).toEqual({
      code: 'INVALID',
      field: 'type',
      message: '操作类型不是可选的值',
    });
  });

  it('keeps the 404 page for a page id that is not one', async () => {
    const res = await new Client(t.app).get('/cases/abc', { accept: 'text/html' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect((await new Client(t.app).get('/cases/abc/similar', { accept: 'text/html' })).statusCode).toBe(404);
  });

  it('shows schema and reader messages beside the list page fields, keeping the filters typed', async () => {
    const res = await new Client(t.app).get('/cases?category=nope&q=%E9%80%80%E6%AC%BE', { accept: 'text/html' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="category-error"');
    expect(res.body).toContain('问题类型不是可选的值');
    expect(res.body).toContain('value="退款"');
    const yuan = await new Client(t.app).get('/cases?minYuan=12%E5%85%83&maxYuan=3', { accept: 'text/html' });
    expect(yuan.statusCode).toBe(400);
    expect(yuan.body).toContain('最高金额不能低于最低金额');
  });
});

describe('providers, deliveries and the test clock', () => {
  it('refuse wrong types and missing fields with the label', async () => {
    expect(await error(a.post('/api/v1/admin/providers', { slug: 'new-pay' }))).toEqual({
      code: 'INVALID',
      field: 'name',
      message: '请填写机构名称',
    });
    expect(await error(a.send('PATCH', '/api/v1/admin/providers/alipay', { verified: 'maybe' }))).toEqual({
      code: 'INVALID',
      field: 'verified',
      message: '已核实必须是 true 或 false',
    });
    expect(await error(a.get('/api/v1/admin/deliveries?status=lost'))).toEqual({
      code: 'INVALID',
      field: 'status',
      message: '状态不是可选的值',
    });
    expect(await error(a.post('/api/v1/admin/calls/1/outcome', {}))).toEqual({
      code: 'INVALID',
      field: 'outcome',
      message: '请填写处理结果',
    });
    expect(await error(new Client(t.app).post('/api/v1/test/clock', { advanceMs: -1 }))).toEqual({
      code: 'INVALID',
      field: 'advanceMs',
      message: '推进的毫秒数不能小于 0',
    });
  });

  it('re-render the provider form with the message beside the field', async () => {
    const res = await a.form('/admin/providers/alipay/edit', { name: '支'.repeat(61) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('机构名称不能超过 60 个字');
  });
});
