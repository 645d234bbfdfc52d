// Open data: the CSV export (same filters as the list, streamed, UTF-8 with a BOM so Excel reads Chinese) and RSS feeds
// per provider and per search.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { MAX_RESULT_WINDOW } from '../search/types.ts';
import { CSV_BOM, browsePublicCases, csvHeader, csvRow, rssFeed } from './open-data.ts';
import type { PublicCase } from './public-case.ts';
import { readBoardQuery } from './query.ts';

const FEED_SIZE = 50;
const CSV_PAGE = 100;

export default async function boardOpenDataRoutes(app: FastifyInstance) {
  const base = app.config.publicUrl;

  /** With a text query the search index decides (up to its result window); without one, every matching case. */
  async function* matching(raw: Record<string, unknown>): AsyncGenerator<PublicCase> {
    const { query } = readBoardQuery({ ...raw, page: undefined, pageSize: undefined }, { facets: false });
    if (!query.q) {
      const providerId = query.provider ? app.providers.bySlug(query.provider)?.id ?? null : undefined;
      yield* browsePublicCases(app.db, query, providerId);
      return;
    }
    for (let page = 1; page * CSV_PAGE <= MAX_RESULT_WINDOW; page++) {
      const r = await app.board.reader.search({ ...query, page, pageSize: CSV_PAGE });
      yield* app.board.reader.many(r.items.map((h) => h.id));
      if (page * CSV_PAGE >= r.total || r.items.length === 0) return;
    }
  }

  app.get('/api/v1/cases.csv', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const raw = req.query as Record<string, unknown>;
    readBoardQuery(raw); // bad parameters are a 400 before any byte of the file is sent
    const rows = matching(raw);
    async function* lines() {
      yield CSV_BOM + csvHeader();
      let chunk = '';
      for await (const c of rows) {
        chunk += csvRow(c, base);
        if (chunk.length > 64 * 1024) { yield chunk; chunk = ''; }
      }
      if (chunk) yield chunk;
    }
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', "attachment; filename=\"cases.csv\"; filename*=UTF-8''%E6%8A%95%E8%AF%89%E6%A1%88%E4%BE%8B.csv")
      .header('Cache-Control', 'no-store').send(Readable.from(lines()));
  });

  app.get('/feeds/cases.xml', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (req, reply) => {
    const raw = req.query as Record<string, unknown>;
    const { query, filters } = readBoardQuery({ ...raw, sort: 'newest', page: '1', pageSize: String(FEED_SIZE) }, { facets: false });
    const provider = filters.provider ? app.providers.bySlug(filters.provider) : undefined;
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
    }, cases, base);
    return reply.type('application/rss+xml; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(xml);
  });
}
