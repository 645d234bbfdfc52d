// The guided filing form: files chosen before an error are held for the form (signed references, swept after a day),
// file problems show with the other fields' problems at once, and the 核对 step shows what the provider receives and
// what the public sees before anything is filed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { exe, pdf, png } from '../helpers/files.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const count = (table: string) => (t.app.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const attachmentNames = () =>
  (t.app.sqlite.prepare('SELECT original_name AS n FROM attachments ORDER BY id').all() as { n: string }[]).map(
    (r) => r.n,
  );
/** Held files still waiting under uploads/pending. */
const pendingFiles = () => {
  const dir = join(t.dataDir, 'uploads', 'pending');
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((p) => String(p).includes('/')) : [];
};
const formFields = (o: Record<string, unknown> = {}) =>
  Object.fromEntries(
    Object.entries({ ...complaintInput(), amountFen: undefined, amountYuan: '569.78', ...o })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
  ) as Record<string, string | string[]>;

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const keptRefs = (html: string) => [...html.matchAll(/name="kept" value="([^"]+)"/g)].map((m) => unescapeHtml(m[1]!));
/** The review page's hidden fields, as the browser would send them back. */
const hiddenFields = (html: string) => {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    if (m[1] === '_csrf') continue;
    const name = m[1]!;
    out[name] = [...(out[name] ?? []), unescapeHtml(m[2]!)];
  }
  return out;
};

describe('files chosen before an error', () => {
  it('are held, listed on the form, and attached when the form is sent again without them', async () => {
    const c = await consumer(t.app);
    const key = 'nonce-held-1';
    const bad = await c.multipart(
      '/complaints/new',
      formFields({ title: '退款', submissionKey: key }),
      [
        { filename: '截图.png', data: png() },
        { filename: '账单.pdf', data: pdf() },
      ],
      { html: true },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="title-error"');
    expect(bad.body).toContain('已保留：截图.png');
    expect(bad.body).toContain('已保留：账单.pdf');
    const refs = keptRefs(bad.body);
    expect(refs).toHaveLength(2);
    expect(bad.body).toContain(`name="submissionKey" value="${key}"`);
    expect(pendingFiles()).toHaveLength(2);
    expect(count('complaints')).toBe(0);

    const ok = await c.multipart(
      '/complaints/new',
      formFields({ title: '支付宝退款一直未到账', submissionKey: key, kept: refs }),
      [],
      { html: true },
    );
    expect(ok.statusCode).toBe(303);
    expect(count('complaints')).toBe(1);
    expect(attachmentNames().sort()).toEqual(['截图.png', '账单.pdf'].sort());
    expect(pendingFiles()).toEqual([]); // the form is done: its held files go
    const id = Number(/\/complaints\/(\d+)/.exec(ok.headers.location as string)?.[1]);
    const view = (await c.get(`/api/v1/complaints/${id}`)).json();
    expect(view.attachments).toHaveLength(2);
  });

  it('are dropped when unticked, and join new ones', async () => {
    const c = await consumer(t.app);
    const key = 'nonce-drop';
    const bad = await c.multipart(
      '/complaints/new',
      formFields({ description: '太短', submissionKey: key }),
      [
        { filename: 'a.png', data: png({ color: [1, 2, 3] }) },
        { filename: 'b.pdf', data: pdf() },
      ],
      { html: true },
    );
    const [refA] = keptRefs(bad.body);
    const ok = await c.multipart(
      '/complaints/new',
      formFields({ submissionKey: key, kept: [refA!] }),
      [{ filename: 'c.png', data: png({ color: [9, 9, 9] }) }],
      { html: true },
    );
    expect(ok.statusCode).toBe(303);
    expect(attachmentNames().sort()).toEqual(['a.png', 'c.png']);
  });

  it('count toward the file limit: a new file past it is named and not kept', async () => {
    await t.close();
    t = await makeApp({
      uploads: {
        maxFileBytes: 1024 * 1024,
        maxFiles: 2,
        requestMaxBytes: 8 * 1024 * 1024,
        inflightMaxBytes: 16 * 1024 * 1024,
      },
    });
    const c = await consumer(t.app);
    const key = 'nonce-limit';
    const bad = await c.multipart(
      '/complaints/new',
      formFields({ title: '退款', submissionKey: key }),
      [
        { filename: 'a.png', data: png({ color: [1, 2, 3] }) },
        { filename: 'b.pdf', data: pdf() },
      ],
      { html: true },
    );
    const more = await c.multipart(
      '/complaints/new',
      formFields({ submissionKey: key, kept: keptRefs(bad.body) }),
      [{ filename: 'c.png', data: png({ color: [9, 9, 9] }) }],
      { html: true },
    );
    expect(more.statusCode).toBe(400);
    expect(more.body).toContain('最多上传 2 个附件，「c.png」未保留');
    expect(more.body).not.toContain('已保留：c.png');
    expect(keptRefs(more.body)).toHaveLength(2);
    expect(count('complaints')).toBe(0);
  });

  it('refuses a forged reference, or one made for another consumer, beside the file field', async () => {
    const a = await consumer(t.app);
    const b = await consumer(t.app);
    const key = 'nonce-shared';
    const bad = await a.multipart(
      '/complaints/new',
      formFields({ title: '退款', submissionKey: key }),
      [{ filename: 'a.png', data: png() }],
      { html: true },
    );
    const [ref] = keptRefs(bad.body);
    const [payload, sig] = ref!.split('.');
    const renamed = Buffer.from(
      JSON.stringify([...JSON.parse(Buffer.from(payload!, 'base64url').toString()).slice(0, 3), 'evil.png']),
    ).toString('base64url');
    for (const [who, forged] of [
      [b, ref!], // another consumer, same form nonce
      [a, `${renamed}.${sig}`], // the name changed
      [a, 'garbage'],
    ] as const) {
      const res = await who.multipart('/complaints/new', formFields({ submissionKey: key, kept: [forged] }), [], {
        html: true,
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('id="attachments-error"');
      expect(res.body).toContain('保留的附件无法核对');
      expect(res.body).not.toContain('evil.png');
    }
    // The same consumer with another form's nonce is refused too.
    const other = await a.multipart(
      '/complaints/new',
      formFields({ submissionKey: 'another-form', kept: [ref!] }),
      [],
      { html: true },
    );
    expect(other.statusCode).toBe(400);
    expect(count('complaints')).toBe(0);
  });

  it('reports a wrong file type together with the other fields at once, keeping the good file', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart(
      '/complaints/new',
      formFields({ title: '退款', category: '', submissionKey: 'nonce-type' }),
      [
        { filename: 'ok.png', data: png() },
        { filename: 'virus.png', data: exe() },
      ],
      { html: true },
    );
    expect(res.statusCode).toBe(400);
    for (const id of ['title', 'category', 'attachments']) expect(res.body).toContain(`id="${id}-error"`);
    expect(res.body).toMatch(/附件「virus.png」不是支持的格式/);
    expect(res.body).toContain('已保留：ok.png');
    expect(res.body).not.toContain('已保留：virus.png');
  });

  it('are swept after a day, and an expired one is asked for again', async () => {
    const c = await consumer(t.app);
    const bad = await c.multipart(
      '/complaints/new',
      formFields({ title: '退款', submissionKey: 'nonce-old' }),
      [{ filename: 'old.png', data: png() }],
      { html: true },
    );
    const refs = keptRefs(bad.body);
    expect(await t.app.pendingUploads.sweep()).toBe(0);
    expect(pendingFiles()).toHaveLength(1);
    t.clock.advance(25 * 3600_000);
    expect(await t.app.pendingUploads.sweep()).toBe(1);
    expect(pendingFiles()).toEqual([]);
    const res = await c.multipart('/complaints/new', formFields({ submissionKey: 'nonce-old', kept: refs }), [], {
      html: true,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('保留的附件「old.png」已过期');
    expect(count('complaints')).toBe(0);
  });
});

describe('the 核对 step', () => {
  it('shows what the provider receives and what the public sees, files nothing, and confirms once', async () => {
    const c = await consumer(t.app, { realName: '张小明' });
    const key = 'nonce-review';
    const res = await c.multipart(
      '/complaints/new',
      formFields({
        description: '我是张小明，电话13812345678，退款申请已经同意，但一直显示处理中，客服让我继续等待。',
        contactPhone: '13900001111',
        shareContact: '1',
        submissionKey: key,
        intent: 'review',
      }),
      [{ filename: '截图.png', data: png() }],
      { html: true },
    );
    expect(res.statusCode).toBe(200);
    expect(count('complaints')).toBe(0);
    const html = res.body;
    const provider = html.slice(html.indexOf('id="review-provider"'), html.indexOf('id="review-public"'));
    const publicPart = html.slice(html.indexOf('id="review-public"'), html.indexOf('id="review-form"'));
    // The provider: every forwarded field, the text as written, the file, the shared contact.
    expect(provider).toContain('支付宝');
    expect(provider).toContain('2026110122001234567890');
    expect(provider).toContain('569.78 元');
    expect(provider).toContain('13812345678');
    expect(provider).toContain('截图.png');
    expect(provider).toMatch(/用户联系方式（经用户同意提供）：张小明，consumer-.*@example.com，13900001111/);
    // The public: anonymised, without the transaction reference or the files.
    expect(publicPart).toContain('[手机号]');
    expect(publicPart).not.toContain('13812345678');
    expect(publicPart).not.toContain('张小明');
    expect(publicPart).not.toContain('2026110122001234567890');
    expect(publicPart).not.toContain('截图.png');

    const carried = hiddenFields(html);
    expect(carried.submissionKey).toEqual([key]);
    expect(carried.kept).toHaveLength(1);
    const confirm = { ...carried, intent: 'submit' } as Record<string, string | string[]>;
    const first = await c.multipart('/complaints/new', confirm, [], { html: true });
    expect(first.statusCode).toBe(303);
    const again = await c.multipart('/complaints/new', confirm, [], { html: true });
    expect(again.headers.location).toBe(first.headers.location);
    expect(count('complaints')).toBe(1);
    expect(attachmentNames()).toEqual(['截图.png']);
    const id = Number(/\/complaints\/(\d+)/.exec(first.headers.location as string)?.[1]);
    const view = (await c.get(`/api/v1/complaints/${id}`)).json();
    expect(view.description).toContain('13812345678');
    expect(view.amountFen).toBe(56978);
  });

  it('says 不公开 for a private complaint', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart(
      '/complaints/new',
      formFields({ consent: 'private', submissionKey: 'nonce-private', intent: 'review' }),
      [],
      { html: true },
    );
    expect(res.statusCode).toBe(200);
    const publicPart = res.body.slice(res.body.indexOf('id="review-public"'), res.body.indexOf('id="review-form"'));
    expect(publicPart).toContain('不公开');
    expect(publicPart).not.toContain('支付宝退款一直未到账');
  });

  it('shows field errors on the form instead of a review', async () => {
    const c = await consumer(t.app);
    const res = await c.multipart(
      '/complaints/new',
      formFields({ title: '退', submissionKey: 'nonce-r-bad', intent: 'review' }),
      [],
      { html: true },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="title-error"');
    expect(res.body).not.toContain('id="review-provider"');
  });

  it('返回修改 brings back the form with the values and the kept files', async () => {
    const c = await consumer(t.app);
    const review = await c.multipart(
      '/complaints/new',
      formFields({ title: '余额宝转出迟迟不到账', submissionKey: 'nonce-back', intent: 'review' }),
      [{ filename: '凭证.pdf', data: pdf() }],
      { html: true },
    );
    const back = await c.multipart('/complaints/new', { ...hiddenFields(review.body), intent: 'edit' }, [], {
      html: true,
    });
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain('id="complaint-form"');
    expect(back.body).toContain('value="余额宝转出迟迟不到账"');
    expect(back.body).toContain('value="569.78"');
    expect(back.body).toContain('name="submissionKey" value="nonce-back"');
    expect(back.body).toContain('已保留：凭证.pdf');
    expect(back.body).not.toContain('error-summary');
    expect(count('complaints')).toBe(0);
  });
});

describe('the form page', () => {
  it('is laid out in steps, with the preview beside the description and the upload limits on the file field', async () => {
    const c = await consumer(t.app);
    const html = (await c.get('/complaints/new')).body;
    const steps = ['1 机构', '2 问题', '3 证据', '4 公开方式', '5 核对'];
    const anchors = ['step-provider', 'step-problem', 'step-evidence', 'step-consent', 'step-review'];
    anchors.forEach((a, i) => {
      expect(html).toContain(`<a href="#${a}">${steps[i]}</a>`);
      expect(html).toContain(`id="${a}"`);
    });
    expect(
      [...html.matchAll(/<h2 class="step-title"[^>]*><span class="step-no">(\d)<\/span> ([^<]+)<\/h2>/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    ).toEqual(steps);
    // The preview sits right after the description, inside the same block.
    const describe = html.slice(html.indexOf('class="describe"'), html.indexOf('id="demands"'));
    expect(describe).toContain('id="description"');
    expect(describe).toContain('id="public-preview"');
    expect(describe).toContain('id="similar-cases"');
    expect(html).toMatch(/id="attachments"[^>]*data-max-files="5"[^>]*data-max-bytes="10485760"/);
    expect(html).toContain('name="intent" value="review"');
  });
});
