// Every kind of bad input gets a clear Chinese error, a 4xx, and leaves nothing half-written.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { exe, png } from '../helpers/files.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const count = (table: string) => (t.app.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const storedFiles = () => {
  try {
    return readdirSync(join(t.dataDir, 'uploads'), { recursive: true })
      .map(String)
      .filter((p) => /[0-9a-f]{64}$/.test(p));
  } catch {
    return [];
  }
};
const asFields = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
  );
const chinese = /[\u4e00-\u9fff]/;

function expectNothingWritten() {
  expect(count('complaints')).toBe(0);
  expect(count('attachments')).toBe(0);
  expect(count('complaint_events')).toBe(0);
  expect(storedFiles()).toEqual([]);
}

describe('JSON intake rejects bad fields', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['missing provider', { provider: undefined }, 'provider'],
    ['missing title', { title: undefined }, 'title'],
    ['blank title', { title: '   ' }, 'title'],
    ['too-long title', { title: '退'.repeat(61) }, 'title'],
    ['too-short title', { title: '退款' }, 'title'],
    ['missing description', { description: undefined }, 'description'],
    ['empty description', { description: '' }, 'description'],
    ['too-short description', { description: '太短了' }, 'description'],
    ['too-long description', { description: '字'.repeat(5001) }, 'description'],
    ['unknown category', { category: 'lottery' }, 'category'],
    ['missing category', { category: undefined }, 'category'],
    ['no demands', { demands: [] }, 'demands'],
    ['unknown demand', { demands: ['refund', 'revenge'] }, 'demands'],
    ['negative amount', { amountFen: -100 }, 'amountFen'],
    ['non-numeric amount', { amountFen: 'abc' }, 'amountFen'],
    ['fractional fen', { amountFen: 12.5 }, 'amountFen'],
    ['absurd amount', { amountFen: 10 ** 15 }, 'amountFen'],
    ['future incident date', { incidentDate: '2026-11-03' }, 'incidentDate'],
    ['impossible date', { incidentDate: '2026-02-30' }, 'incidentDate'],
    ['date in another format', { incidentDate: '11/01/2026' }, 'incidentDate'],
    ['too-long transaction ref', { transactionRef: '1'.repeat(65) }, 'transactionRef'],
    ['bad consent', { consent: 'everyone' }, 'consent'],
    ['missing consent', { consent: undefined }, 'consent'],
    ['title not a string', { title: { $gt: '' } }, 'title'],
    ['control characters', { title: '退款\u0000未到账标题' }, 'title'],
    [
      'replacement character (mis-decoded text)',
      { description: '退款一直没有到账，客服不理我，这是乱码\uFFFD\uFFFD内容' },
      'description',
    ],
    ['bad contact phone', { contactPhone: 'call me maybe' }, 'contactPhone'],
  ])('%s', async (_name, override, field) => {
    const c = await consumer(t.app);
    const res = await c.post('/api/v1/complaints', complaintInput(override));
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.field).toBe(field);
    expect(error.message).toMatch(chinese);
    expect(JSON.stringify(res.json())).not.toMatch(/at .*\.ts|stack/i);
    expectNothingWritten();
  });

  it('accepts the date of today (China time) but not tomorrow', async () => {
    const c = await consumer(t.app);
    expect((await c.post('/api/v1/complaints', complaintInput({ incidentDate: '2026-11-02' }))).statusCode).toBe(201);
  });

  it('rejects invalid UTF-8 in a JSON body', async () => {
    const c = await consumer(t.app);
    const good = Buffer.from(JSON.stringify(complaintInput()));
    const bad = Buffer.concat([good.subarray(0, 20), Buffer.from([0xc3, 0x28, 0xff]), good.subarray(20)]);
    const res = await c.post('/api/v1/complaints', bad);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_UTF8');
    expectNothingWritten();
  });

  it('rejects malformed JSON', async () => {
    const c = await consumer(t.app);
    const res = await c.post('/api/v1/complaints', '{"title": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
  });

  it('rejects a 50 MB JSON body with 413', async () => {
    const c = await consumer(t.app);
    const res = await c.post(
      '/api/v1/complaints',
      JSON.stringify(complaintInput({ description: 'x'.repeat(50 * 1024 * 1024) })),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toMatch(chinese);
    expectNothingWritten();
  });

  it('refuses a logged-out submit with 401', async () => {
    const res = await new Client(t.app).post('/api/v1/complaints', complaintInput());
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('请先登录');
    expectNothingWritten();
  });

  it('refuses a submit without the CSRF token', async () => {
    const c = await consumer(t.app);
    const res = await c.post('/api/v1/complaints', complaintInput(), { csrf: false });
    expect(res.statusCode).toBe(403);
    expectNothingWritten();
  });

  it('treats a repeated Idempotency-Key as the same complaint', async () => {
    const c = await consumer(t.app);
    const a = await c.post('/api/v1/complaints', complaintInput(), { headers: { 'idempotency-key': 'k-1' } });
    const b = await c.post('/api/v1/complaints', complaintInput(), { headers: { 'idempotency-key': 'k-1' } });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({ id: a.json().id, reference: a.json().reference, duplicate: true });
    expect(count('complaints')).toBe(1);
  });
});

describe('multipart intake rejects bad files', () => {
  it('rejects a 6th file', async () => {
    const c = await consumer(t.app);
    const files = Array.from({ length: 6 }, (_, i) => ({ filename: `s${i}.png`, data: png({ color: [i, i, i] }) }));
    const res = await c.multipart('/api/v1/complaints', asFields(complaintInput()), files);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'TOO_MANY_FILES', field: 'attachments' });
    expectNothingWritten();
  });

  it('rejects a file over 10 MB (and a 50 MB one) with 413', async () => {
    const c = await consumer(t.app);
    for (const size of [10 * 1024 * 1024 + 1, 50 * 1024 * 1024]) {
      const big = Buffer.concat([png(), Buffer.alloc(size - png().length)]);
      const res = await c.multipart('/api/v1/complaints', asFields(complaintInput()), [
        { filename: 'big.png', data: big },
      ]);
      expect(res.statusCode).toBe(413);
      expect(res.json().error.field).toBe('attachments');
      expect(res.json().error.message).toMatch(chinese);
    }
    expectNothingWritten();
  });

  it('rejects an .exe renamed .png, whatever the declared type', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart('/api/v1/complaints', asFields(complaintInput()), [
      { filename: 'screenshot.png', data: exe(), type: 'image/png' },
      { filename: 'ok.png', data: png() },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'UNSUPPORTED_FILE', field: 'attachments' });
    expect(res.json().error.message).toContain('screenshot.png');
    expectNothingWritten();
  });

  it('rejects a truncated image', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart('/api/v1/complaints', asFields(complaintInput()), [
      { filename: 'cut.png', data: png().subarray(0, 40) },
    ]);
    expect(res.statusCode).toBe(400);
    expectNothingWritten();
  });

  it('never uses a ../../ file name as a path', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart('/api/v1/complaints', asFields(complaintInput()), [
      { filename: '../../../../etc/passwd.png', data: png() },
    ]);
    expect(res.statusCode).toBe(201);
    const view = (await c.get(`/api/v1/complaints/${res.json().id}`)).json();
    expect(view.attachments[0].name).toBe('passwd.png');
    expect(storedFiles()).toHaveLength(1);
    expect(storedFiles()[0]).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}$/);
  });

  it('keeps the files of a complaint whose validation fails out of storage', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart('/api/v1/complaints', asFields(complaintInput({ category: 'nope' })), [
      { filename: 'a.png', data: png() },
    ]);
    expect(res.statusCode).toBe(400);
    expectNothingWritten();
  });
});

describe('the complaint form', () => {
  it('sends a logged-out visitor to the login page and back', async () => {
    const res = await new Client(t.app).get('/complaints/new', { accept: 'text/html' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fcomplaints%2Fnew');
  });

  it('re-renders with each message beside its field and the typed values kept', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart(
      '/complaints/new',
      asFields({
        provider: '支付宝',
        category: 'lottery',
        title: '退款',
        description: '很短',
        amountYuan: '-5',
        consent: 'public',
      }),
      [],
      { html: true },
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toContain('id="category-error"');
    expect(html).toContain('id="title-error"');
    expect(html).toContain('id="description-error"');
    expect(html).toContain('id="demands-error"');
    expect(html).toContain('id="amountYuan-error"');
    expect(html).toMatch(/涉诉金额请填写数字|涉诉金额不能为负数/);
    expect(html).toContain('value="支付宝"');
    expect(html).toContain('>很短</textarea>');
    expectNothingWritten();
  });

  it('files through the form with yuan amounts and redirects to the complaint', async () => {
    const c = await consumer(t.app);
    const fields = asFields({
      ...complaintInput(),
      amountFen: undefined,
      amountYuan: '1,234.5',
      submissionKey: 'form-nonce-1',
    });
    const res = await c.multipart('/complaints/new', fields, [{ filename: '截图.png', data: png() }], { html: true });
    expect(res.statusCode).toBe(303);
    const id = Number(/\/complaints\/(\d+)\?filed=1/.exec(res.headers.location as string)?.[1]);
    const view = (await c.get(`/api/v1/complaints/${id}`)).json();
    expect(view.amountFen).toBe(123450);
    expect(view.attachments).toHaveLength(1);
    const page = await c.get(`/complaints/${id}?filed=1`, { accept: 'text/html' });
    expect(page.body).toContain(view.reference);
    expect(page.body).toContain('95188');
  });

  it('makes one complaint from a double-submitted form', async () => {
    const c = await consumer(t.app);
    const fields = asFields({ ...complaintInput(), submissionKey: 'same-form-render' });
    const [a, b] = await Promise.all([
      c.multipart('/complaints/new', fields, [{ filename: 'a.png', data: png() }], { html: true }),
      c.multipart('/complaints/new', fields, [{ filename: 'a.png', data: png() }], { html: true }),
    ]);
    expect(a.statusCode).toBe(303);
    expect(b.statusCode).toBe(303);
    expect(a.headers.location).toBe(b.headers.location);
    expect(count('complaints')).toBe(1);
    expect(count('attachments')).toBe(1);
  });

  it('rejects a form post without the CSRF field', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart('/complaints/new', asFields(complaintInput()), [], { csrf: false, html: true });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('页面已过期');
    expectNothingWritten();
  });

  it('escapes script in title and description on every page', async () => {
    const c = await consumer(t.app);
    const xss = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const res = await c.post(
      '/api/v1/complaints',
      complaintInput({ title: `退款${xss}`, description: `描述内容足够长足够长足够长足够长${xss}\n第二行` }),
    );
    const id = res.json().id;
    for (const url of [`/complaints/${id}`, '/me/complaints']) {
      const page = await c.get(url, { accept: 'text/html' });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('<script>alert(1)');
      expect(page.body).not.toContain('<img src=x');
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    expect((await c.get(`/complaints/${id}`, { accept: 'text/html' })).body).toContain('<br>第二行');
  });
});
