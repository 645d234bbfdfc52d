// Filtered exports from a database file are read and formatted by the export thread: the same bytes as the in-thread
// path (which in-memory databases use) for every kind of selection, under the same cap, paced by the reader, and a
// client that goes away mid-export leaves the thread ready for the next one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { filteredExports } from '../../server/modules/board/filtered-export.ts';
import { FilteredExportThread } from '../../server/modules/board/filtered-export-thread.ts';
import { readBoardQuery } from '../../server/modules/board/query.ts';
import { fileApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clonePublicCase, parseCsv } from './helpers.ts';
import { actors, drain, publishedCase } from '../helpers/lifecycle.ts';

/** Threads of this process running at a lowered priority (nice > 0), read from /proc on Linux. */
const nicedThreads = () =>
  readdirSync(`/proc/${process.pid}/task`).filter(
    (tid) => Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]) > 0,
  ).length;

const csvIds = (body: string) =>
  parseCsv(body.replace(/^\uFEFF/, ''))
    .slice(1)
    .map((r) => Number(r[0]));

describe('filtered exports in the export thread', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  async function board(copies: number, maxRows: number) {
    t = await fileApp({ exports: { rebuildMs: 300_000, maxRows, downloadBytesPerSecond: 0 } });
    const who = await actors(t);
    const source = (await publishedCase(t, who, { title: '支付宝退款一直未到账' })).id;
    await publishedCase(t, who, {
      provider: 'wechat-pay',
      category: 'account-frozen',
      title: '微信零钱冻结无法提现',
      description: '微信零钱被冻结了，客服说账户有风险，但一直不说明原因。',
    });
    await drain(t);
    await clonePublicCase(t, source, copies, { days: 40 });
  }

  /** The export made without HTTP: in this thread (thread null) or in the given export thread, from the same database. */
  async function direct(url: string, thread: FilteredExportThread | null): Promise<Buffer> {
    const { app } = t;
    const here = filteredExports({
      sqlite: app.sqlite,
      reader: app.board.reader,
      baseUrl: app.config.publicUrl,
      maxRows: app.config.exports.maxRows,
      thread,
      providerId: (slug) => app.providers.publicBySlug(slug)?.id ?? null,
    });
    const params = Object.fromEntries(new URL(url, 'http://x').searchParams);
    const { query } = readBoardQuery(params, { facets: false });
    const opened = await here.open(query, url.includes('.csv') ? 'csv' : 'jsonl');
    const parts: Buffer[] = [];
    for await (const p of opened.body) parts.push(Buffer.from(p));
    return Buffer.concat(parts);
  }

  it('send the same bytes and headers as the in-thread path, for slices, searches and empty answers', {
    timeout: 60_000,
  }, async () => {
    await board(700, 500);
    const anon = new Client(t.app);
    const nicedBefore = existsSync('/proc/thread-self') ? nicedThreads() : 0;
    const thread = new FilteredExportThread({
      databasePath: t.app.config.databasePath,
      baseUrl: t.app.config.publicUrl,
      onError: (m) => {
        throw new Error(m);
      },
    });
    for (const url of [
      '/api/v1/cases.csv?provider=alipay',
      '/api/v1/cases.jsonl?provider=alipay',
      '/api/v1/cases.csv?q=退款',
      '/api/v1/cases.jsonl?q=冻结',
      '/api/v1/cases.csv?from=2026-01-01&amountMin=1',
      '/api/v1/cases.csv?provider=alipay&category=account-frozen',
      '/api/v1/cases.jsonl?provider=no-such-wallet',
      '/api/v1/cases.csv?status=resolved',
    ]) {
      const res = await anon.get(url);
      expect(res.statusCode, url).toBe(200);
      const here = await direct(url, null);
      expect(res.rawPayload.equals(here), url).toBe(true);
      expect((await direct(url, thread)).equals(here), url).toBe(true);
    }
    // Both export threads (the app's, started by the first request, and this one) yield the CPU to the request thread
    // (Linux: they run at a lowered priority from their start, thread-priority.ts). Run from sources, each thread's own
    // module-loader thread (tsx's hooks) starts from it and so is lowered too.
    if (existsSync('/proc/thread-self')) expect(nicedThreads()).toBeGreaterThanOrEqual(nicedBefore + 2);
    await thread.stop();
    // The cap holds across the thread's chunks: 701 alipay cases, 500 sent, newest first, each once.
    const capped = await anon.get('/api/v1/cases.csv?provider=alipay');
    expect(capped.headers).toMatchObject({ 'x-export-limit': '500', 'x-export-truncated': 'true' });
    const ids = csvIds(capped.body);
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
    const searched = await anon.get('/api/v1/cases.jsonl?q=冻结');
    expect(searched.headers).toMatchObject({ 'x-total-count': '1' });
    expect(
      searched.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).provider.slug),
    ).toEqual(['wechat-pay']);
  });

  it('wait for a slow reader, and go on serving the same client after it went away mid-export', {
    timeout: 60_000,
  }, async () => {
    await board(3_000, 50_000);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const request = (path: string) =>
      new Promise<IncomingMessage>((resolve, reject) =>
        httpGet({ port, path: encodeURI(path), host: '127.0.0.1' }, resolve).on('error', reject),
      );
    const text = async (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };

    const slow = await request('/api/v1/cases.jsonl?provider=alipay');
    slow.pause();
    expect(slow.headers).toMatchObject({ 'x-total-count': '3001' });
    const health = await request('/healthz');
    await text(health);
    expect(health.statusCode).toBe(200);
    const busy = await request('/api/v1/cases.csv?provider=alipay');
    expect(busy.statusCode).toBe(429);
    await text(busy);

    // The reader leaves after its first chunk: its slot is freed and the thread drops its cursor.
    const first = await new Promise<Buffer>((resolve) => {
      slow.once('data', resolve);
      slow.resume();
    });
    expect(first.length).toBeGreaterThan(0);
    const closed = new Promise((resolve) => slow.socket.once('close', resolve));
    slow.destroy();
    await closed;
    let again = await request('/api/v1/cases.csv?provider=alipay');
    // The server notices the closed socket on its next turn: until then the slot may still be held.
    for (let tries = 0; again.statusCode === 429 && tries < 50; tries++) {
      await text(again);
      await new Promise((r) => setTimeout(r, 20));
      again = await request('/api/v1/cases.csv?provider=alipay');
    }
    expect(again.statusCode).toBe(200);
    const ids = csvIds(await text(again));
    expect(ids).toHaveLength(3_001);
    expect(new Set(ids).size).toBe(3_001);
  });

  it('fail the exports in progress when the thread stops, and start a new thread for the next', {
    timeout: 60_000,
  }, async () => {
    await board(1_000, 50_000);
    const errors: string[] = [];
    const thread = new FilteredExportThread({
      databasePath: t.app.config.databasePath,
      baseUrl: t.app.config.publicUrl,
      onError: (m) => errors.push(m),
    });
    const providerId = t.app.providers.publicBySlug('alipay')!.id;
    const cut = thread.slices({ providerId }, 50_000, 'jsonl');
    expect((await cut.next()).done).toBe(false);
    const failed = expect(cut.next()).rejects.toThrow('export thread stopped');
    await thread.stop();
    await failed;

    const lines: string[] = [];
    for await (const b of thread.slices({ providerId }, 50_000, 'jsonl'))
      lines.push(...b.toString('utf8').trimEnd().split('\n'));
    expect(lines).toHaveLength(1_001);
    expect(lines.map((l) => (JSON.parse(l) as { provider: { slug: string } }).provider.slug)).toEqual(
      Array(1_001).fill('alipay'),
    );
    expect(errors).toEqual([]);
    await thread.stop();
  });
});
