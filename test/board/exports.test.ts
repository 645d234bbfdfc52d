// Open data at scale: the whole board as files built by a worker thread (ETag/304, Range/206, rebuilt after a public
// change once the interval has passed), and filtered exports that stream in slices, state their cap, allow one export
// per client at a time, and leave the rest of the service answering while a slow reader holds one open.
import { get as httpGet, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportFiles } from '../../server/modules/board/export-files.ts';
import { fileApp, makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { fileComplaint } from '../helpers/factories.ts';
import { clonePublicCase, parseCsv } from './helpers.ts';
import { actors, type Actors, drain, publishedCase } from '../helpers/lifecycle.ts';

const csvIds = (body: string) =>
  parseCsv(body.replace(/^\uFEFF/, ''))
    .slice(1)
    .map((r) => Number(r[0]));

describe('the whole board as files', () => {
  let t: TestApp;
  let who: Actors;
  afterEach(async () => {
    await t?.close();
  });

  it('are sent no faster than EXPORT_DOWNLOAD_BYTES_PER_SECOND per download', { timeout: 30_000 }, async () => {
    t = await fileApp({ exports: { rebuildMs: 300_000, maxRows: 50_000, downloadBytesPerSecond: 400 } });
    who = await actors(t);
    await publishedCase(t, who, { title: '支付宝退款一直未到账' });
    const meta = await t.app.openData.files!.rebuild();
    const started = performance.now();
    const csv = await new Client(t.app).get('/downloads/cases.csv');
    expect(csv.rawPayload.length).toBe(meta.csvBytes);
    // Every byte waits its turn at 400 bytes a second.
    expect(meta.csvBytes).toBeGreaterThan(400);
    expect(performance.now() - started).toBeGreaterThan((meta.csvBytes / 400) * 1000 * 0.9);
  });

  it('are built by the worker thread and served with ETag (304), Last-Modified and ranges (206)', async () => {
    t = await fileApp();
    who = await actors(t);
    const a = (await publishedCase(t, who, { title: '支付宝退款一直未到账' })).id;
    const b = (
      await publishedCase(t, who, {
        provider: 'wechat-pay',
        category: 'account-frozen',
        title: '微信零钱冻结无法提现',
        description: '微信零钱被冻结了，客服说账户有风险，但一直不说明原因。',
      })
    ).id;
    const meta = await t.app.openData.files!.rebuild();
    expect(meta).toMatchObject({ rows: 2 });

    const anon = new Client(t.app);
    const csv = await anon.get('/downloads/cases.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('attachment; filename="cases.csv"');
    expect(csv.headers['x-total-count']).toBe('2');
    expect(csv.headers['last-modified']).toBeTruthy();
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(Number(csv.headers['content-length'])).toBe(meta.csvBytes);
    expect(csvIds(csv.body).sort()).toEqual([a, b].sort());
    // GET /api/v1/cases.csv without filters is the same file.
    const api = await anon.get('/api/v1/cases.csv');
    expect(api.rawPayload.equals(csv.rawPayload)).toBe(true);
    expect(api.headers.etag).toBe(csv.headers.etag);

    const etag = String(csv.headers.etag);
    expect((await anon.get('/downloads/cases.csv', { 'if-none-match': etag })).statusCode).toBe(304);
    const part = await anon.get('/downloads/cases.csv', { range: 'bytes=0-99' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${meta.csvBytes}`);
    expect(part.rawPayload.equals(csv.rawPayload.subarray(0, 100))).toBe(true);
    const beyond = await anon.get('/downloads/cases.csv', { range: `bytes=${meta.csvBytes + 10}-` });
    expect(beyond.statusCode).toBe(416);

    const jsonl = await anon.get('/downloads/cases.jsonl');
    expect(jsonl.statusCode).toBe(200);
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = jsonl.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((c) => c.id).sort()).toEqual([a, b].sort());
    expect(lines.find((c) => c.id === b)).toEqual((await anon.get(`/api/v1/cases/${b}`)).json());
    expect((await anon.get('/api/v1/cases.jsonl')).body).toBe(jsonl.body);

    // /cases names the file's size in cases and its build time, in China time.
    const page = await anon.get('/cases', { accept: 'text/html' });
    expect(page.body).toContain('href="/downloads/cases.csv"');
    expect(page.body).toContain('href="/downloads/cases.jsonl"');
    expect(page.body).toMatch(/全部 2 个案例 · 2026-11-02 10:00 生成/);
  });

  it('are rebuilt after a public change once the interval has passed, and not for private changes', async () => {
    t = await fileApp({ exports: { rebuildMs: 60_000, maxRows: 50_000, downloadBytesPerSecond: 0 } });
    who = await actors(t);
    await publishedCase(t, who);
    const files = t.app.openData.files!;
    const first = await files.rebuild();
    expect(first.rows).toBe(1);

    // Publishing is a public change: the rebuild waits for the interval since the last build.
    await publishedCase(t, who, { title: '第二个公开案例：冻结' });
    expect(await files.settled()).toEqual(first);
    t.clock.advance(30_000);
    expect(await files.settled()).toEqual(first);
    t.clock.advance(30_000);
    const second = (await files.settled())!;
    expect(second.rows).toBe(2);
    expect(second.builtAtMs).toBe(first.builtAtMs + 60_000);

    // Filing is not public: nothing is rebuilt, however long one waits.
    await fileComplaint(who.consumer, {});
    t.clock.advance(600_000);
    expect(await files.settled()).toEqual(second);
    expect(csvIds((await new Client(t.app).get('/downloads/cases.csv')).body)).toHaveLength(2);
  });

  it('hold every public case once, newest first, however the thread slices its reads', async () => {
    t = await fileApp();
    who = await actors(t);
    const source = (await publishedCase(t, who)).id;
    const ids = [source, ...(await clonePublicCase(t, source, 40, { days: 3 }))]; // many cases share a filing day
    const files = new ExportFiles({
      databasePath: t.app.config.databasePath,
      dir: join(t.dataDir, 'sliced'),
      baseUrl: 'http://x',
      rebuildMs: 60_000,
      clock: t.clock,
      onError: () => {},
      sliceRows: 3,
    });
    files.start();
    try {
      const meta = (await files.settled())!;
      expect(meta.rows).toBe(41);
      const lines = readFileSync(join(t.dataDir, 'sliced', 'cases.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: number; filedAt: string });
      expect(lines.map((c) => c.id).sort()).toEqual(ids.sort());
      const key = (c: { id: number; filedAt: string }) => `${c.filedAt} ${String(c.id).padStart(9, '0')}`;
      expect(lines.map(key)).toEqual(lines.map(key).sort().reverse());
    } finally {
      await files.stop();
    }
  });

  it('answer 503 with Retry-After and a Chinese message until the first build has finished', async () => {
    // Where the files go is taken by a plain file before the app starts: every build fails, so no file is ever in place.
    const dataDir = mkdtempSync(join(tmpdir(), 'wc-exports-data-'));
    writeFileSync(join(dataDir, 'exports'), 'not a folder');
    t = await fileApp({ dataDir });
    const close = t.close;
    t.close = async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    };
    await expect(t.app.openData.files!.rebuild()).rejects.toThrow();
    for (const url of ['/downloads/cases.csv', '/downloads/cases.jsonl', '/api/v1/cases.csv']) {
      const res = await new Client(t.app).get(url);
      expect(res.statusCode, url).toBe(503);
      expect(res.headers['retry-after'], url).toBe('60');
      expect(res.json().error).toMatchObject({ code: 'EXPORT_NOT_READY', message: '全部案例文件正在生成，请稍后再试' });
    }
    rmSync(join(dataDir, 'exports'));
    await t.app.openData.files!.rebuild();
    expect((await new Client(t.app).get('/downloads/cases.csv')).statusCode).toBe(200);
  });

  it('are not kept with an in-memory database: the answer says so and points to filtered exports', async () => {
    t = await makeApp();
    expect(t.app.openData.files).toBeNull();
    const res = await new Client(t.app).get('/downloads/cases.csv');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeTruthy();
    expect(res.json().error.code).toBe('EXPORT_UNAVAILABLE');
    expect(res.json().error.message).toContain('筛选条件');
  });
});

describe('filtered exports', () => {
  let t: TestApp;
  let who: Actors;
  let source: number;
  afterEach(async () => {
    await t?.close();
  });

  async function boardWith(copies: number, maxRows = 50_000) {
    t = await makeApp({ exports: { rebuildMs: 300_000, maxRows, downloadBytesPerSecond: 0 } });
    who = await actors(t);
    source = (await publishedCase(t, who, { title: '支付宝退款一直未到账' })).id;
    await publishedCase(t, who, {
      provider: 'wechat-pay',
      category: 'account-frozen',
      title: '微信零钱冻结无法提现',
      description: '微信零钱被冻结了，客服说账户有风险，但一直不说明原因。',
    });
    await drain(t);
    return clonePublicCase(t, source, copies);
  }

  it('state their cap, and whether it cut the export short', async () => {
    await boardWith(9, 5);
    const anon = new Client(t.app);
    const capped = await anon.get('/api/v1/cases.csv?provider=alipay');
    expect(capped.statusCode).toBe(200);
    expect(capped.headers).toMatchObject({ 'x-export-limit': '5', 'x-export-truncated': 'true' });
    expect(capped.headers['x-total-count']).toBeUndefined();
    // Newest first by filing day, then by id: the first copy shares the original's day, the others are older.
    expect(csvIds(capped.body)).toEqual([1_000_000, source, 1_000_001, 1_000_002, 1_000_003]);

    const whole = await anon.get('/api/v1/cases.jsonl?provider=wechat-pay');
    expect(whole.headers).toMatchObject({ 'x-export-limit': '5', 'x-export-truncated': 'false', 'x-total-count': '1' });
    expect(
      whole.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).provider.slug),
    ).toEqual(['wechat-pay']);

    // With a search word the search index decides, under the same cap.
    const searched = await anon.get('/api/v1/cases.csv?q=冻结');
    expect(searched.headers).toMatchObject({ 'x-export-truncated': 'false', 'x-total-count': '1' });
    expect(csvIds(searched.body)).toHaveLength(1);

    // Filters the public_cases indexes cannot answer are applied to each slice's rows.
    const amounts = await anon.get('/api/v1/cases.csv?provider=alipay&category=account-frozen');
    expect(amounts.headers).toMatchObject({ 'x-export-truncated': 'false', 'x-total-count': '0' });
    expect(csvIds(amounts.body)).toEqual([]);
  });

  it('refuse bad filters with a 400 before any byte of a file', async () => {
    await boardWith(0);
    for (const url of [
      '/api/v1/cases.csv?amountMin=-1',
      '/api/v1/cases.jsonl?from=2026-13-01',
      '/api/v1/cases.csv?provider=BAD!',
      '/api/v1/cases.jsonl?pageSize=1000',
    ]) {
      const res = await new Client(t.app).get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toContain('application/json');
      expect(res.json().error.field, url).toBeTruthy();
    }
  });

  it('stream 50,000 cases to a slow reader while /healthz and searches answer; a second export from the same client is 429', {
    timeout: 90_000,
  }, async () => {
    await boardWith(49_999);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const events: string[] = [];
    const request = (path: string) =>
      new Promise<IncomingMessage>((resolve, reject) =>
        httpGet({ port, path: encodeURI(path), host: '127.0.0.1' }, resolve).on('error', reject),
      );
    const text = async (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };

    const slow = await request('/api/v1/cases.csv?provider=alipay');
    slow.pause(); // the reader takes nothing for now: the export waits for it
    expect(slow.statusCode).toBe(200);
    expect(slow.headers).toMatchObject({
      'x-export-limit': '50000',
      'x-export-truncated': 'false',
      'x-total-count': '50000',
    });
    slow.once('end', () => events.push('export ended'));

    const health = await request('/healthz');
    await text(health);
    events.push(`healthz ${health.statusCode}`);
    const search = await request('/api/v1/cases?q=冻结');
    expect(JSON.parse(await text(search)).total).toBe(1);
    events.push(`search ${search.statusCode}`);
    const second = await request('/api/v1/cases.jsonl?category=refund-pending');
    const refused = JSON.parse(await text(second));
    events.push(`second export ${second.statusCode}`);
    expect(refused.error).toMatchObject({
      code: 'EXPORT_BUSY',
      message: '您已有一个导出正在进行，请等它完成后再开始下一个',
    });
    expect(second.headers['retry-after']).toBeTruthy();

    const body = await text(slow); // now read it all
    expect(events).toEqual(['healthz 200', 'search 200', 'second export 429', 'export ended']);
    const ids = csvIds(body);
    expect(ids).toHaveLength(50_000);
    expect(new Set(ids).size).toBe(50_000);

    // Done: the client may export again.
    const again = await request('/api/v1/cases.jsonl?provider=wechat-pay');
    expect(again.statusCode).toBe(200);
    expect((await text(again)).trimEnd().split('\n')).toHaveLength(1);
  });
});
