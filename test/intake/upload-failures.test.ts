// Every way an accepted upload can fail leaves no temporary file, no stored file and no row; the forms show the
// problem beside the file field, the API keeps its error codes.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { cast, complaintIn } from '../helpers/lifecycle.ts';
import { exe, pdf, png } from '../helpers/files.ts';

const KiB = 1024;
let t: TestApp;
afterEach(async () => {
  await t.close();
});
const start = async (overrides: Partial<Config> = {}) => {
  t = await makeApp(overrides);
};

/** Every file under the upload folder: temporaries and stored attachments alike. */
const uploads = () =>
  readdirSync(join(t.dataDir, 'uploads'), { recursive: true })
    .map(String)
    .filter((p) => statSync(join(t.dataDir, 'uploads', p)).isFile());
const count = (table: string) => (t.app.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const fields = (o: Record<string, unknown> = {}) =>
  Object.fromEntries(
    Object.entries(complaintInput(o)).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
  );
const big = (bytes: number) => Buffer.concat([png(), Buffer.alloc(bytes - png().length)]);

function expectNothingLeft() {
  expect(uploads()).toEqual([]); // neither a temporary nor a stored file
  expect(count('attachments')).toBe(0);
  expect(count('complaints')).toBe(0);
  expect(t.app.uploads.budget.inFlight).toBe(0);
}

describe('the JSON API', () => {
  it.each<[string, () => { name?: string; filename: string; data: Buffer }[], Record<string, unknown>, number, string]>(
    [
      [
        'a file of the wrong type after a good one',
        () => [
          { filename: 'ok.png', data: png() },
          { filename: 'x.png', data: exe() },
        ],
        {},
        400,
        'UNSUPPORTED_FILE',
      ],
      [
        'a file over the cap',
        () => [
          { filename: 'ok.pdf', data: pdf() },
          { filename: 'big.png', data: big(64 * KiB + 1) },
        ],
        {},
        413,
        'TOO_LARGE',
      ],
      [
        'one file too many',
        () => Array.from({ length: 3 }, (_, i) => ({ filename: `${i}.png`, data: png({ color: [i, 0, 0] }) })),
        {},
        413,
        'TOO_MANY_FILES',
      ],
      ['a broken image', () => [{ filename: 'cut.png', data: png().subarray(0, 40) }], {}, 400, 'UNSUPPORTED_FILE'],
      [
        'a validation error in the fields',
        () => [{ filename: 'a.pdf', data: pdf() }],
        { category: 'lottery' },
        400,
        'INVALID',
      ],
    ],
  )('%s', async (_name, files, override, status, code) => {
    await start({
      uploads: { maxFileBytes: 64 * KiB, maxFiles: 2, requestMaxBytes: 512 * KiB, inflightMaxBytes: 1024 * KiB },
    });
    const c = await consumer(t.app);
    const res = await c.multipart('/api/v1/complaints', fields(override), files());
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expectNothingLeft();
  });

  it('a database failure after the files were placed removes them', async () => {
    await start();
    t.app.complaintHooks.onChange('test', () => {
      throw new Error('disk on fire');
    });
    const c = await consumer(t.app);
    const res = await c.multipart('/api/v1/complaints', fields(), [
      { filename: 'a.png', data: png({ metadata: true }) },
      { filename: 'b.pdf', data: pdf() },
    ]);
    expect(res.statusCode).toBe(500);
    expectNothingLeft();
  });

  it('a supplement refused by the state machine keeps none of its files', async () => {
    await start();
    const c = await consumer(t.app);
    const filed = await c.post('/api/v1/complaints', complaintInput());
    const res = await c.multipart(
      `/api/v1/complaints/${filed.json().id}/events`,
      { type: 'supplement', body: '补充' },
      [{ filename: 'a.png', data: png() }],
    );
    expect(res.statusCode).toBe(409);
    expect(uploads()).toEqual([]);
    expect(count('attachments')).toBe(0);
  });
});

describe('the complaint form', () => {
  it('shows a file over the cap beside the file field, keeping the typed values', async () => {
    await start({
      uploads: { maxFileBytes: 64 * KiB, maxFiles: 2, requestMaxBytes: 512 * KiB, inflightMaxBytes: 1024 * KiB },
    });
    const c = await consumer(t.app);
    const res = await c.multipart(
      '/complaints/new',
      fields({ title: '提现一直不到账怎么办' }),
      [{ filename: '大图.png', data: big(64 * KiB + 1) }],
      { html: true },
    );
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('id="attachments-error"');
    expect(res.body).toContain('附件「大图.png」超过');
    expect(res.body).toContain('value="提现一直不到账怎么办"');
    expectNothingLeft();
  });

  it('shows a file of the wrong type beside the file field', async () => {
    await start();
    const c = await consumer(t.app);
    const res = await c.multipart('/complaints/new', fields(), [{ filename: 'virus.png', data: exe() }], {
      html: true,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="attachments-error"');
    expect(res.body).toContain('virus.png');
    expectNothingLeft();
  });

  it('shows the server being busy beside the file field, with Retry-After', async () => {
    await start({
      uploads: { maxFileBytes: 64 * KiB, maxFiles: 2, requestMaxBytes: 512 * KiB, inflightMaxBytes: 512 * KiB },
    });
    const release = t.app.uploads.budget.tryReserve(511 * KiB)!; // another upload still arriving
    const c = await consumer(t.app);
    const res = await c.multipart('/complaints/new', fields(), [{ filename: 'a.png', data: png() }], { html: true });
    release();
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toContain('id="attachments-error"');
    expect(res.body).toMatch(/当前上传的人较多/);
    expectNothingLeft();
  });

  it('shows a supplement file over the cap beside the supplement form', async () => {
    await start({
      uploads: { maxFileBytes: 64 * KiB, maxFiles: 2, requestMaxBytes: 512 * KiB, inflightMaxBytes: 1024 * KiB },
    });
    const who = await cast(t.app);
    const id = await complaintIn(who, 'awaiting_consumer');
    const res = await who.consumer.multipart(
      `/complaints/${id}/events`,
      { type: 'supplement', body: '补充截图' },
      [{ filename: 'big.png', data: big(64 * KiB + 1) }],
      { html: true },
    );
    expect(res.statusCode).toBe(413);
    expect(res.body).toMatch(/id="supplement-files-error"[^>]*>附件「big.png」超过/);
    expect(uploads()).toEqual([]);
  });
});

describe('routes that take fields only', () => {
  it('read a multipart merchant form for its fields and keep no file', async () => {
    await start();
    const c = await consumer(t.app);
    const res = await c.multipart(
      '/merchant/complaints/1/events',
      { type: 'reply', body: '你好' },
      [{ filename: 'a.png', data: png() }],
      { html: true },
    );
    expect(res.statusCode).toBe(404); // a consumer is not staff: refused before the body is read
    expect(uploads()).toEqual([]);
  });
});
