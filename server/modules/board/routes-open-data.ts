// Open data. The whole board is a pair of prebuilt files (/downloads/cases.csv and .jsonl, also what
// /api/v1/cases.csv answers without filters), sent by @fastify/send with ETag, Last-Modified and ranges, each
// download paced at EXPORT_DOWNLOAD_BYTES_PER_SECOND. Filtered
// exports stream in slices, capped at EXPORT_MAX_ROWS, one at a time per client. RSS feeds per provider and search.
import { Readable } from 'node:stream';
import send from '@fastify/send';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { doc, responses } from '../../lib/schema.ts';
import { throttled } from '../../lib/throttle.ts';
import { CSV_TYPE, JSONL_TYPE } from './export-format.ts';
import { EXPORT_FILES } from './export-worker.ts';
import { isWholeBoard, type ExportFormat } from './filtered-export.ts';
import { rssFeed } from './open-data.ts';
import { readBoardQuery } from './query.ts';
import { BoardQuery, FeedQuery, type BoardInput } from './schemas.ts';
import { DOWNLOAD_NOTES, EXPORT_NOTES, downloadOk, exportOk } from './schemas-files.ts';

const FEED_SIZE = 50;
const FORMATS: Record<ExportFormat, { file: string; type: string; disposition: string }> = {
  csv: {
    file: EXPORT_FILES.csv,
    type: CSV_TYPE,
    disposition: `attachment; filename="cases.csv"; filename*=UTF-8''${encodeURIComponent('投诉案例.csv')}`,
  },
  jsonl: {
    file: EXPORT_FILES.jsonl,
    type: JSONL_TYPE,
    disposition: `attachment; filename="cases.jsonl"; filename*=UTF-8''${encodeURIComponent('投诉案例.jsonl')}`,
  },
};

function unavailable(reply: FastifyReply, code: string, message: string, retryAfterSeconds: number) {
  return reply
    .code(503)
    .header('Retry-After', String(retryAfterSeconds))
    .header('Cache-Control', 'no-store')
    .send({ error: { code, message } });
}

export default async function boardOpenDataRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const base = app.config.publicUrl;
  const { maxRows, downloadBytesPerSecond } = app.config.exports;

  async function sendWholeBoard(reply: FastifyReply, as: ExportFormat) {
    const files = app.openData.files;
    if (!files) {
      return unavailable(
        reply,
        'EXPORT_UNAVAILABLE',
        `本服务未生成全部案例文件，请加上筛选条件（机构、问题类型、状态、日期或金额）导出，每次最多 ${maxRows} 条`,
        3600,
      );
    }
    const meta = files.current();
    if (!meta) return unavailable(reply, 'EXPORT_NOT_READY', '全部案例文件正在生成，请稍后再试', 60);
    const f = FORMATS[as];
    // Rebuilt every few minutes at most: a minute of caching, then revalidation by ETag.
    reply
      .type(f.type)
      .header('Content-Disposition', f.disposition)
      .header('X-Total-Count', String(meta.rows))
      .header('X-Export-Built-At', new Date(meta.builtAtMs).toISOString());
    // @fastify/send as @fastify/static uses it (ETag, Last-Modified, ranges, 304/412/416), its stream paced per client.
    const sent = await send(reply.request.raw, `/${encodeURIComponent(f.file)}`, {
      ...WHOLE_BOARD_SEND,
      root: files.dir,
    });
    if (sent.type === 'error') throw sent.metadata.error;
    if (sent.type !== 'file') return reply.callNotFound();
    reply.code(sent.statusCode).headers(sent.headers);
    return reply.send(throttled(sent.stream, downloadBytesPerSecond));
  }

  // Read 1 MiB at a time: at @fastify/send's default 64 KiB a client pulling the whole board costs the event loop a
  // thousand reads and writes a second.
  const WHOLE_BOARD_SEND = {
    contentType: false,
    cacheControl: true,
    maxAge: 60_000,
    acceptRanges: true,
    etag: true,
    lastModified: true,
    highWaterMark: 1 << 20,
  };

  async function exportCases(req: { query: BoardInput; ip: string }, reply: FastifyReply, as: ExportFormat) {
    readBoardQuery(req.query); // bad parameters are a 400 before any byte of the file is sent
    const { query } = readBoardQuery({ ...req.query, page: undefined, pageSize: undefined }, { facets: false });
    if (isWholeBoard(query)) return sendWholeBoard(reply, as);

    const release = app.openData.claim(req.ip);
    if (!release) {
      return reply
        .code(429)
        .header('Retry-After', '10')
        .send({ error: { code: 'EXPORT_BUSY', message: '您已有一个导出正在进行，请等它完成后再开始下一个' } });
    }
    reply.raw.once('close', release); // a client that goes away frees its slot, wherever the export was
    let opened: Awaited<ReturnType<typeof app.openData.filtered.open>>;
    try {
      opened = await app.openData.filtered.open(query, as);
    } catch (err) {
      release();
      throw err;
    }
    const { body } = opened;
    const done = release;
    async function* released() {
      try {
        yield* body;
      } finally {
        done();
      }
    }
    reply
      .type(FORMATS[as].type)
      .header('Content-Disposition', FORMATS[as].disposition)
      .header('Cache-Control', 'no-store')
      .header('X-Export-Limit', String(opened.limit))
      .header('X-Export-Truncated', String(opened.truncated));
    if (opened.total !== null) reply.header('X-Total-Count', String(opened.total));
    // Not object mode: the stream holds about 64 KiB ahead of a slow reader, and the slices wait for it.
    return reply.send(Readable.from(released(), { objectMode: false, highWaterMark: 64 * 1024 }));
  }

  const openData = (summary: string, description: string) => doc({ tag: '开放数据', summary, description });
  // The whole board (no filter) is the prebuilt file; paging is checked like the list's, then the export starts at the first row.
  const exportRoute = (summary: string, as: ExportFormat) => ({
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: {
      ...openData(summary, EXPORT_NOTES),
      querystring: BoardQuery,
      response: responses({ 200: exportOk(FORMATS[as].type) }, 400, 429, 503),
    },
  });
  app.get('/api/v1/cases.csv', exportRoute('CSV 导出（与列表相同的筛选条件；UTF-8 带 BOM）', 'csv'), (req, reply) =>
    exportCases(req, reply, 'csv'),
  );
  app.get(
    '/api/v1/cases.jsonl',
    exportRoute('JSON Lines 导出（每行一个公开案例，与 GET /api/v1/cases/{id} 相同；筛选条件同上）', 'jsonl'),
    (req, reply) => exportCases(req, reply, 'jsonl'),
  );

  // Ordinary routes that answer with @fastify/static's sendFile, so they carry their schema like any other.
  const downloadRoute = (summary: string, as: ExportFormat) => ({
    config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      ...openData(summary, DOWNLOAD_NOTES),
      response: responses({ 200: downloadOk(FORMATS[as].type) }, 429, 503),
    },
  });
  app.get('/downloads/cases.csv', downloadRoute('全部公开案例 CSV 文件（后台定时生成）', 'csv'), async (_req, reply) =>
    sendWholeBoard(reply, 'csv'),
  );
  app.get(
    '/downloads/cases.jsonl',
    downloadRoute('全部公开案例 JSON Lines 文件（后台定时生成）', 'jsonl'),
    async (_req, reply) => sendWholeBoard(reply, 'jsonl'),
  );

  app.get(
    '/feeds/cases.xml',
    { config: { rateLimit: { max: 120, timeWindow: '1 minute' } }, schema: { querystring: FeedQuery } },
    async (req, reply) => {
      const { query, filters } = readBoardQuery(
        { ...req.query, sort: 'newest', page: 1, pageSize: FEED_SIZE },
        { facets: false },
      );
      const provider = filters.provider ? app.providers.publicBySlug(filters.provider) : undefined;
      const r = await app.board.reader.search(query);
      const cases = app.board.reader.many(r.items.map((h) => h.id));
      const params = new URLSearchParams();
      if (filters.provider) params.set('provider', filters.provider);
      if (filters.q) params.set('q', filters.q);
      const qs = params.toString() ? `?${params}` : '';
      const about = [provider ? provider.name : '', filters.q ? `“${filters.q}”` : ''].filter(Boolean).join(' · ');
      const xml = rssFeed(
        {
          title: about ? `钱包投诉台 · ${about} 的公开投诉` : '钱包投诉台 · 最新公开投诉',
          description: '数字钱包与支付服务的匿名公开投诉案例，包含机构回复与处理结果。',
          link: `${base}/cases${qs}`,
          selfUrl: `${base}/feeds/cases.xml${qs}`,
        },
        cases,
        base,
        app.clock.now(),
      );
      return reply.type('application/rss+xml; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(xml);
    },
  );
}
