// Drafts of the filing form: the text fields kept for the consumer who saved them (never files, never anyone else),
// restored on the form with a notice and a 丢弃草稿 button, and deleted once a complaint is filed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { png } from '../helpers/files.ts';
import { Client } from '../helpers/client.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const count = (table: string) => (t.app.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const formFields = (o: Record<string, unknown> = {}) =>
  Object.fromEntries(
    Object.entries({ ...complaintInput(), amountFen: undefined, amountYuan: '88', ...o })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
  ) as Record<string, string | string[]>;

describe('drafts of the filing form', () => {
  it('keeps the text fields (not the files) for their author, restores them, and discards them', async () => {
    const c = await consumer(t.app);
    const saved = await c.multipart(
      '/complaints/new',
      formFields({ title: '草稿里的标题甲乙', description: '还没写完', submissionKey: 'nonce-draft', intent: 'draft' }),
      [{ filename: '草稿附件.png', data: png() }],
      { html: true },
    );
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('草稿已保存');
    expect(saved.body).not.toContain('error-summary'); // a draft need not be complete
    expect(count('complaints')).toBe(0);
    expect(count('complaint_drafts')).toBe(1);

    const form = (await c.get('/complaints/new')).body;
    expect(form).toContain('已恢复你保存的草稿');
    expect(form).toContain('value="草稿里的标题甲乙"');
    expect(form).toContain('>还没写完</textarea>');
    expect(form).toContain('value="88"');
    expect(form).toContain('action="/complaints/draft/discard"');
    expect(form).not.toContain('草稿附件.png'); // files are never part of a draft
    const stored = JSON.stringify(t.app.sqlite.prepare('SELECT fields FROM complaint_drafts').get());
    expect(stored).not.toContain('nonce-draft');

    // Nobody else sees it: another consumer's form, the public board.
    const other = await consumer(t.app);
    expect((await other.get('/complaints/new')).body).not.toContain('草稿里的标题甲乙');
    const anon = new Client(t.app);
    // (the search box echoes what was searched: search for part of the title, look for the whole)
    for (const url of ['/', `/cases?q=${encodeURIComponent('标题甲乙')}`])
      expect((await anon.get(url, { accept: 'text/html' })).body).not.toContain('草稿里的标题甲乙');

    const discard = await c.form('/complaints/draft/discard', {});
    expect(discard.statusCode).toBe(303);
    expect(count('complaint_drafts')).toBe(0);
    const clean = (await c.get('/complaints/new')).body;
    expect(clean).not.toContain('草稿里的标题甲乙');
    expect(clean).not.toContain('draft-notice');
  });

  it('is replaced by a later save and deleted when the complaint is filed', async () => {
    const c = await consumer(t.app);
    await c.multipart('/complaints/new', formFields({ title: '第一次保存', intent: 'draft' }), [], { html: true });
    await c.multipart('/complaints/new', formFields({ title: '第二次保存', intent: 'draft' }), [], { html: true });
    expect(count('complaint_drafts')).toBe(1);
    const form = (await c.get('/complaints/new')).body;
    expect(form).toContain('value="第二次保存"');
    const filed = await c.multipart('/complaints/new', formFields({ submissionKey: 'nonce-filed' }), [], {
      html: true,
    });
    expect(filed.statusCode).toBe(303);
    expect(count('complaint_drafts')).toBe(0);
    expect((await c.get('/complaints/new')).body).not.toContain('draft-notice');
  });

  it('refuses a discard without the CSRF token', async () => {
    const c = await consumer(t.app);
    await c.multipart('/complaints/new', formFields({ intent: 'draft' }), [], { html: true });
    const res = await c.form('/complaints/draft/discard', {}, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(count('complaint_drafts')).toBe(1);
  });
});

describe('drafts and the account', () => {
  it('are in the export and gone when the account closes', async () => {
    const t = await makeApp();
    try {
      const c = await consumer(t.app);
      const saved = await c.multipart(
        '/complaints/new',
        { intent: 'draft', provider: 'alipay', title: '草稿标题：退款未到账', description: '草稿内容' },
        [],
      );
      expect(saved.statusCode).toBeLessThan(400);
      const exported = (await c.get('/api/v1/me/export')).json();
      expect(exported.draft.fields.title).toBe('草稿标题：退款未到账');
      const closed = await c.send('DELETE', '/api/v1/me', { password: 'correct-horse-1' });
      expect(closed.statusCode).toBe(204);
      expect(t.app.sqlite.prepare('SELECT count(*) FROM complaint_drafts').pluck().get()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
