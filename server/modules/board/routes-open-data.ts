// Open data. The whole board is a pair of prebuilt files (/downloads/cases.csv and .jsonl, also what
// /api/v1/cases.csv answers without filters), sent by @fastify/static with ETag, Last-Modified and ranges. Filtered
// exports stream in slices, capped at EXPORT_MAX_ROWS, one at a time per client. RSS feeds per provider and search.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSV_TYPE, JSONL_TYPE } from './export-format.ts';
import { EXPORT_FILES } from './export-worker.ts';
import { isWholeBoard, type ExportFormat } from './filtered-export.ts';
import { rssFeed } from './open-data.ts';
import { readBoardQuery } from './query.ts';

const FEED_SIZE = 50;
const FORMATS: Record<ExportFormat, { file: string; type: string; disposition: string }> = {
  csv: { file: EXPORT_FILES.csv, type: CSV_TYPE, disposition: `attachment; filename="cases.csv"; filename*=UTF-8''${encodeURIComponent('投诉案例.csv')}` },
  jsonl: { file: EXPORT_FILES.jsonl, type: JSONL_TYPE, disposition: `attachment; filename="cases.jsonl"; filename*=UTF-8''${encodeURIComponent('投诉案例.jsonl')}` },
};

function unavailable(reply: FastifyReply, code: string, message: string, retryAfterSeconds: number) {
  return reply.code(503).header('Retry-After', String(retryAfterSeconds)).header('Cache-Control', 'no-store').send({ error: { code, message } });
}

export default async function boardOpenDataRoutes(app: FastifyInstance) {
  const base = app.config.publicUrl;
  const { maxRows } = app.config.exports;

  function sendWholeBoard(reply: FastifyReply, as: ExportFormat) {
    const files = app.openData.files;
    if (!files) {
      return unavailable(reply, 'EXPORT_UNAVAILABLE', `本服务未生成全部案例文件，请加上筛选条件（机构、问题类型、状态、日期或金额）导出，每次最多 ${maxRows} 条`, 3600);
    }
    const meta = files.current();
    if (!meta) return unavailable(reply, 'EXPORT_NOT_READY', '全部案例文件正在生成，请稍后再试', 60);
    const f = FORMATS[as];
    // Rebuilt every few minutes at most: a minute of caching, then revalidation by ETag.
    reply.type(f.type).header('Content-Disposition', f.disposition).header('X-Total-Count', String(meta.rows))
      .header('X-Export-Built-At', new Date(meta.builtAtMs).toISOString());
    return reply.sendFile(f.file, files.dir, { contentType: false, cacheControl: true, maxAge: 60_000, acceptRanges: true, etag: true, lastModified: true });
  }

  async function exportCases(req: FastifyRequest, reply: FastifyReply, as: ExportFormat) {
    const raw = req.query as Record<string, unknown>;
    readBoardQuery(raw); // bad parameters are a 400 before any byte of the file is sent
    const { query } = readBoardQuery({ ...raw, page: undefined, pageSize: undefined }, { facets: false });
    if (isWholeBoard(query)) return sendWholeBoard(reply, as);

    const release = app.openData.claim(req.ip);
    if (!release) {
      return reply.code(429).header('Retry-After', '10').send({ error: { code: 'EXPORT_BUSY', message: '您已有一个导出正在进行，请等它完成后再开始下一个' } });
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
      try { yield* body; } finally { done(); }
    }
    reply.type(FORMATS[as].type).header('Content-Disposition', FORMATS[as].disposition).header('Cache-Control', 'no-store')
      .header('X-Export-Limit', String(opened.limit)).header('X-Export-Truncated', String(opened.truncated));
    if (opened.total !== null) reply.header('X-Total-Count', String(opened.total));
    // Not object mode: the stream holds about 64 KiB ahead of a slow reader, and the slices wait for it.
    return reply.send(Readable.from(released(), { objectMode: false, highWaterMark: 64 * 1024 }));
  }

  const exportLimits = { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };
  app.get('/api/v1/cases.csv', exportLimits, (req, reply) => exportCases(req, reply, 'csv'));
  app.get('/api/v1/cases.jsonl', exportLimits, (req, reply) => exportCases(req, reply, 'jsonl'));
  const downloadLimits = { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } };
  app.get('/downloads/cases.csv', downloadLimits, async (_req, reply) => sendWholeBoard(reply, 'csv'));
  app.get('/downloads/cases.jsonl', downloadLimits, async (_req, reply) => sendWholeBoard(reply, 'jsonl'));

  app.get('/feeds/cases.xml', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (req, reply) => {
    const raw = req.query as Record<string, unknown>;
    const { query, filters } = readBoardQuery({ ...raw, sort: 'newest', page: '1', pageSize: String(FEED_SIZE) }, { facets: false });
    const provider = filters.provider ? app.providers.publicBySlug(filters.provider) : undefined;
    const r = await app.board.reader.search(query);
    const cases = app.board.reader.many(r.items.map((h) => h.id));
    const params = new URLSearchParams();
    if (filters.provider) params.set('provider', filters.provider);
    if (filters.q) params.set('q', filters.q);
    const qs = params.toString() ? `?${params}` : '';
    const about = [provider ? provider.name : '', filters.q ? `“${filters.q}”` : ''].filter(Boolean).join(' · ');
    const xml = rssFeed({
      title: about ? `钱包投诉台 · ${about} 的公开投诉` : '钱包投诉台 · 最新公开投诉',
      description: '数字钱包与支付服务的匿名公开投诉案例，包含机构回复与处理结果。',
      link: `${base}/cases${qs}`, selfUrl: `${base}/feeds/cases.xml${qs}`,
    }, cases, base, app.clock.now());
    return reply.type('application/rss+xml; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(xml);
  });
}
