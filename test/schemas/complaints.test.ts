// Complaint routes at the edge: JSON bodies are refused by their schema (400 INVALID, the field, a Chinese message
// with its label); multipart and form fields meet the same schema after the guards; ids in the path are checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { act, cast, complaintIn, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterAll(async () => {
  await t.close();
});

const asFields = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
  );
const count = () => (t.app.sqlite.prepare('SELECT count(*) AS n FROM complaints').get() as { n: number }).n;

describe('filing a complaint (POST /api/v1/complaints)', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ['wrong type', { title: { text: '退款' } }, 'title', '投诉标题格式不正确'],
    ['missing field', { consent: undefined }, 'consent', '请填写公开方式'],
    ['value not in the list', { category: 'lottery' }, 'category', '问题类型不是可选的值'],
    ['amount out of range', { amountFen: -1 }, 'amountFen', '涉诉金额不能小于 0'],
    ['amount not whole fen', { amountFen: 12.5 }, 'amountFen', '涉诉金额格式不正确'],
    // A JSON body is taken as sent: a number in quotes is not a number, one demand is not a list (multipart is text).
    ['amount as text', { amountFen: '12800' }, 'amountFen', '涉诉金额格式不正确'],
    ['one demand, not a list', { demands: 'refund' }, 'demands', '投诉要求格式不正确'],
    ['text over its cap', { transactionRef: '1'.repeat(65) }, 'transactionRef', '交易单号不能超过 64 个字'],
    ['no demands', { demands: [] }, 'demands', '投诉要求至少需要 1 项'],
  ])('JSON: %s is 400 INVALID on the field', async (_name, override, field, message) => {
    const before = count();
    const res = await who.consumer.post('/api/v1/complaints', complaintInput(override));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'INVALID', field, message } });
    expect(count()).toBe(before);
  });

  it('multipart: the same schema refuses the same fields, with the same message', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart('/api/v1/complaints', asFields(complaintInput({ category: 'lottery' })), []);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'INVALID', field: 'category', message: '问题类型不是可选的值' });
    const long = await c.multipart(
      '/api/v1/complaints',
      asFields(complaintInput({ transactionRef: '1'.repeat(65) })),
      [],
    );
    expect(long.json().error).toMatchObject({ field: 'transactionRef', message: '交易单号不能超过 64 个字' });
  });

  it('multipart: strings are read as the schema types them (fen, one demand, a boolean)', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart(
      '/api/v1/complaints',
      asFields(complaintInput({ demands: 'refund', amountFen: 1234, shareContact: true, contactPhone: '13800138000' })),
      [],
    );
    expect(res.statusCode).toBe(201);
    const view = (await c.get(`/api/v1/complaints/${res.json().id}`)).json();
    expect(view).toMatchObject({ amountFen: 1234, demands: ['refund'], shareContact: true });
  });

  it('JSON and multipart answer the same body, with every documented field', async () => {
    const c = await consumer(t.app);
    const json = await c.post('/api/v1/complaints', complaintInput());
    expect(json.statusCode).toBe(201);
    expect(Object.keys(json.json()).sort()).toEqual(['duplicate', 'id', 'reference', 'status']);
    const multi = await c.multipart('/api/v1/complaints', asFields(complaintInput()), []);
    expect(Object.keys(multi.json()).sort()).toEqual(['duplicate', 'id', 'reference', 'status']);
  });

  it('the form re-renders with the schema message beside the field and the reader messages beside theirs', async () => {
    const c = await consumer(t.app);
    const before = count();
    const res = await c.multipart(
      '/complaints/new',
      asFields({ ...complaintInput(), category: 'lottery', title: '短', transactionRef: '9'.repeat(70) }),
      [],
      { html: true },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/id="category-error"[^>]*>问题类型不是可选的值/);
    expect(res.body).toMatch(/id="transactionRef-error"[^>]*>交易单号不能超过 64 个字/);
    expect(res.body).toMatch(/id="title-error"[^>]*>投诉标题至少需要 4 个字/);
    expect(count()).toBe(before);
  });
});

describe('the complaint view and its id', () => {
  it('a non-numeric id is 400 on id for the API, and the 404 page for a page', async () => {
    const res = await who.consumer.get('/api/v1/complaints/abc');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'INVALID', field: 'id', message: '编号必须是整数' });
    expect((await who.consumer.get('/api/v1/complaints/0')).json().error).toMatchObject({
      field: 'id',
      message: '编号不能小于 1',
    });
    const page = await who.consumer.get('/complaints/abc', { accept: 'text/html' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect((await who.consumer.get('/complaints/abc/edit', { accept: 'text/html' })).statusCode).toBe(404);
  });

  it('the response schema keeps every field of the view (timeline, deadlines, deliveries, attachments)', async () => {
    const id = await complaintIn(who, 'forwarded');
    const view = (await who.consumer.get(`/api/v1/complaints/${id}`)).json();
    for (const k of [
      'id',
      'reference',
      'status',
      'statusLabel',
      'title',
      'category',
      'categoryLabel',
      'provider',
      'amountFen',
      'overdue',
      'createdAt',
      'updatedAt',
      'description',
      'demands',
      'incidentDate',
      'transactionRef',
      'consent',
      'contactPhone',
      'shareContact',
      'timeline',
      'attachments',
      'deadlines',
      'deliveries',
    ]) {
      expect(view, k).toHaveProperty(k);
    }
    expect(view.provider).toHaveProperty('verified');
    expect(view.deadlines.firstResponseDueAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(view.timeline[0]).toHaveProperty('actorRole');
    expect(view.deliveries.length).toBeGreaterThan(0);
  });
});

describe('events (POST /api/v1/complaints/:id/events) and edits (PATCH)', () => {
  it('an unknown type, a rating out of range and an over-long body are 400 on their field', async () => {
    const id = await complaintIn(who, 'awaiting_consumer');
    const type = await who.consumer.post(`/api/v1/complaints/${id}/events`, { type: 'explode' });
    expect(type.json().error).toEqual({ code: 'INVALID', field: 'type', message: '操作类型不是可选的值' });
    const rating = await act(who.consumer, id, 'confirm', { rating: { attitude: 5, speed: 6, satisfaction: 5 } });
    expect(rating.json().error).toEqual({
      code: 'INVALID',
      field: 'rating.speed',
      message: '「处理速度」评分（1-5 分）不能大于 5',
    });
    const long = await act(who.consumer, id, 'dispute', { body: '长'.repeat(2001) });
    expect(long.json().error).toMatchObject({ field: 'body', message: '内容不能超过 2000 个字' });
  });

  it('a multipart event meets the same schema after the guards', async () => {
    const id = await complaintIn(who, 'awaiting_consumer');
    const res = await who.consumer.multipart(
      `/api/v1/complaints/${id}/events`,
      { type: 'confirm', 'rating.attitude': '5', 'rating.speed': '0', 'rating.satisfaction': '5' },
      [],
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'rating.speed', message: '「处理速度」评分（1-5 分）不能小于 1' });
    const ok = await who.consumer.multipart(
      `/api/v1/complaints/${id}/events`,
      { type: 'confirm', 'rating.attitude': '5', 'rating.speed': '4', 'rating.satisfaction': '5' },
      [],
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('resolved');
  });

  it('PATCH refuses a value outside its list; the edit form shows it beside the field', async () => {
    const id = await complaintIn(who, 'rejected');
    const res = await who.consumer.send('PATCH', `/api/v1/complaints/${id}`, { consent: 'everyone' });
    expect(res.json().error).toEqual({ code: 'INVALID', field: 'consent', message: '公开方式不是可选的值' });
    const form = await who.consumer.form(`/complaints/${id}/edit`, {
      title: '支付宝退款一直未到账',
      category: 'lottery',
      demands: 'refund',
      consent: 'public',
    });
    expect(form.statusCode).toBe(400);
    expect(form.body).toMatch(/id="category-error"[^>]*>问题类型不是可选的值/);
  });

  it('a bad event form on the complaint page comes back with the message beside the field', async () => {
    const id = await complaintIn(who, 'forwarded');
    const res = await who.consumer.form(`/complaints/${id}/events`, { type: 'withdraw', body: '长'.repeat(2001) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('内容不能超过 2000 个字');
  });

  it('the generated OpenAPI document describes these routes with their schemas', async () => {
    const spec = t.app.swagger() as unknown as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string }[];
            requestBody?: { content: Record<string, unknown> };
            responses: Record<string, unknown>;
            summary: string;
          }
        >
      >;
    };
    const filing = spec.paths['/api/v1/complaints'].post;
    expect(filing.summary).toBe('提交投诉（JSON，或 multipart 附带 attachments 文件）');
    expect(Object.keys(filing.requestBody!.content)).toContain('application/json');
    expect(Object.keys(filing.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']));
    const events = spec.paths['/api/v1/complaints/{id}/events'].post;
    expect(events.parameters?.map((p) => p.name)).toContain('id');
    expect(spec.paths['/api/v1/complaints/{id}'].patch.requestBody).toBeDefined();
    expect(spec.paths['/api/v1/me/complaints'].get.responses['200']).toBeDefined();
    expect(spec.paths['/complaints/{id}']).toBeUndefined();
  });
});

describe('guards still come first for multipart', () => {
  it('a logged-out multipart filing is 401 before anything is read', async () => {
    const res = await new Client(t.app).multipart(
      '/api/v1/complaints',
      asFields(complaintInput({ category: 'lottery' })),
      [],
    );
    expect(res.statusCode).toBe(401);
  });
});
