// A full disk or read-only file system while running: 503 with Retry-After, nothing stored, no temp file left,
// and the failure visible in app.storage.health() for readiness.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageHealth } from '../../server/db/storage-health.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { png } from '../helpers/files.ts';
import { canMount, mountTmpfs, type Tmpfs } from '../helpers/tmpfs.ts';

const asFields = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
const counts = (t: TestApp) =>
  t.app.sqlite
    .prepare(
      'SELECT (SELECT count(*) FROM complaints) AS complaints, (SELECT count(*) FROM complaint_events) AS events, (SELECT count(*) FROM attachments) AS attachments, (SELECT count(*) FROM outbox) AS outbox',
    )
    .get();
/** Fills the database to a page limit, free pages included: the next write that needs a page gets SQLITE_FULL. */
function capDatabase(t: TestApp) {
  const sqlite = t.app.sqlite;
  sqlite.exec('CREATE TABLE IF NOT EXISTS disk_filler (b BLOB)');
  sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true })}`);
  const fill = sqlite.prepare('INSERT INTO disk_filler VALUES (zeroblob(?))');
  for (const size of [4000, 1000, 100, 10]) {
    try {
      for (;;) fill.run(size);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
    }
  }
}

/** A filing whose text needs new (overflow) pages: on a full database it cannot fit into existing free space. */
const bigFiling = (title: string) =>
  complaintInput({ title, description: '商家同意退款后支付宝一直显示处理中。'.repeat(180) });

let t: TestApp;
let fs: Tmpfs | null = null;
afterEach(async () => {
  await t?.close();
  fs?.unmount();
  fs = null;
});

describe('a full database (SQLITE_FULL)', () => {
  it('a filing is a 503 with Retry-After in the JSON error shape, and the database is unchanged', async () => {
    t = await makeApp();
    const c = await consumer(t.app);
    expect((await c.post('/api/v1/complaints', complaintInput())).statusCode).toBe(201);
    const before = counts(t);
    capDatabase(t);
    const res = await c.post('/api/v1/complaints', bigFiling('写不进去的投诉'));
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.json()).toEqual({
      error: { code: 'STORAGE_UNAVAILABLE', message: expect.stringContaining('您的提交没有保存') },
    });
    expect(counts(t)).toEqual(before);
    expect(t.app.storage.health()).toMatchObject({
      ok: false,
      reason: expect.stringContaining('SQLITE_FULL'),
      lastFailure: { code: 'SQLITE_FULL' },
    });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ ready: false, reasons: expect.arrayContaining(['storage']) });

    t.app.sqlite.pragma('max_page_count = 1073741823'); // space freed: the same filing goes through
    expect((await c.post('/api/v1/complaints', bigFiling('写不进去的投诉'))).statusCode).toBe(201);
  });

  it('filings sharing one group commit all fail together: none is acknowledged, none is stored', async () => {
    t = await makeApp();
    const c = await consumer(t.app);
    const before = counts(t);
    capDatabase(t);
    const answers = await Promise.all(
      [1, 2, 3].map((i) => c.post('/api/v1/complaints', bigFiling(`同一批次的投诉 ${i}`))),
    );
    expect(answers.map((r) => r.statusCode)).toEqual([503, 503, 503]);
    expect(counts(t)).toEqual(before);
  });

  it('the complaint form is re-rendered with the typed text and a Chinese message, status 503', async () => {
    t = await makeApp();
    const c = await consumer(t.app);
    capDatabase(t);
    const res = await c.form('/complaints/new', asFields(bigFiling('表单里写好的标题')));
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('服务器存储空间不足或暂时无法写入');
    expect(res.body).toContain('表单里写好的标题');
  });
});

describe.skipIf(!canMount)('a full or read-only upload directory', () => {
  it('an attachment write that hits ENOSPC is a 503, leaves no temp file and stores no complaint', async () => {
    fs = mountTmpfs(1024)!;
    t = await makeApp({ uploadDir: fs.dir });
    const c = await consumer(t.app);
    const before = counts(t);
    fs.fill();
    const res = await c.multipart('/api/v1/complaints', asFields(complaintInput()), [
      { filename: 'big.png', data: png({ w: 400, h: 400 }) },
    ]);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.json().error.code).toBe('STORAGE_UNAVAILABLE');
    expect(readdirSync(join(fs.dir, 'tmp'))).toEqual([]);
    expect(readdirSync(fs.dir).sort()).toEqual(['filler', 'tmp']); // no shard directory with a half file either
    expect(counts(t)).toEqual(before);
    expect(t.app.storage.health().lastFailure?.code).toBe('ENOSPC');
  });

  it('a read-only upload directory (EROFS) is a 503 too', async () => {
    fs = mountTmpfs(1024)!;
    t = await makeApp({ uploadDir: fs.dir });
    const c = await consumer(t.app);
    fs.readOnly();
    const res = await c.multipart('/api/v1/complaints', asFields(complaintInput()), [
      { filename: 'a.png', data: png() },
    ]);
    expect(res.statusCode, res.body).toBe(503);
    expect(t.app.storage.health().lastFailure?.code).toBe('EROFS');
  });
});

describe('StorageHealth', () => {
  it('records only storage failures, and reports unhealthy for the recovery window after the last one', () => {
    let now = 1_000_000;
    const h = new StorageHealth(() => now, 60_000);
    expect(
      h.record(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })),
    ).toBeNull();
    expect(h.record(new Error('plain'))).toBeNull();
    expect(h.health()).toEqual({ ok: true, reason: null, lastFailure: null });
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY_DBMOVED', 'ENOSPC', 'EROFS', 'EDQUOT']) {
      expect(h.record(Object.assign(new Error(code), { code }))).toBe(code);
    }
    expect(h.health()).toMatchObject({
      ok: false,
      reason: `storage write failed (EDQUOT) at ${new Date(now).toISOString()}`,
    });
    now += 60_000;
    expect(h.health()).toMatchObject({ ok: true, reason: null, lastFailure: { code: 'EDQUOT' } });
  });
});
