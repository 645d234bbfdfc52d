// Upload limits in messages and on the form are the configured ones (UPLOAD_MAX_BYTES, UPLOAD_MAX_FILES,
// UPLOAD_REQUEST_MAX_BYTES), never the defaults written out.
import { afterEach, describe, expect, it } from 'vitest';
import { sizeLimitText } from '../../server/lib/sizes.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { png } from '../helpers/files.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const LIMITS = { maxFileBytes: 96 * KiB, maxFiles: 3, requestMaxBytes: 1.5 * MiB, inflightMaxBytes: 4 * MiB };
let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const fields = () =>
  Object.fromEntries(
    Object.entries(complaintInput()).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
  );
const big = (bytes: number) => Buffer.concat([png(), Buffer.alloc(bytes - png().length)]);
const DEFAULTS = /10 MB|5 个/;

describe('sizeLimitText', () => {
  it('rounds down, so a message never promises more than is accepted', () => {
    expect(sizeLimitText(10 * MiB)).toBe('10 MB');
    expect(sizeLimitText(1.5 * MiB)).toBe('1.5 MB');
    expect(sizeLimitText(MiB + MiB / 20 - 1)).toBe('1 MB');
    expect(sizeLimitText(96 * KiB)).toBe('96 KB');
    expect(sizeLimitText(2047)).toBe('1 KB');
  });
});

describe('upload limit messages follow config', () => {
  it('on the form, for a file over the cap, for one file too many and for a request over the budget', async () => {
    t = await makeApp({ uploads: LIMITS });
    const c = await consumer(t.app);

    const form = (await c.get('/complaints/new')).body;
    expect(form).toContain('最多 3 个，每个不超过 96 KB');
    expect(form).not.toMatch(DEFAULTS);

    const tooBig = await c.multipart('/api/v1/complaints', fields(), [
      { filename: 'big.png', data: big(96 * KiB + 1) },
    ]);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error).toMatchObject({
      code: 'TOO_LARGE',
      field: 'attachments',
      message: '附件「big.png」超过 96 KB',
    });

    const tooMany = await c.multipart(
      '/api/v1/complaints',
      fields(),
      Array.from({ length: 4 }, (_, i) => ({ filename: `${i}.png`, data: png({ color: [i, 0, 0] }) })),
    );
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error).toMatchObject({ code: 'TOO_MANY_FILES', message: '最多上传 3 个附件' });

    const overBudget = await c.multipart('/api/v1/complaints', fields(), [
      { filename: 'huge.png', data: big(2 * MiB) },
    ]);
    expect(overBudget.statusCode).toBe(413);
    expect(overBudget.json().error.message).toBe('上传内容超过上限（每次最多 1.5 MB）');

    for (const res of [tooBig, tooMany, overBudget]) expect(res.json().error.message).not.toMatch(DEFAULTS);
  });
});
