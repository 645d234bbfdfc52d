// What search engines read: robots.txt (the public board in, private and staff pages out) and a sitemap index whose
// case files each cover a fixed range of 50,000 case ids, so a million cases need 20 small files read along the
// primary key, never one huge answer.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LRUCache } from 'lru-cache';
import { chinaDay } from '../../lib/china-time.ts';
import { escapeHtml } from '../../lib/escape-html.ts';
import { Type } from '../../lib/schema.ts';

/** The sitemap protocol's limit per file. */
export const CASES_PER_SITEMAP = 50_000;
const CACHE_MS = 10 * 60_000;

const PRIVATE_PATHS = [
  '/admin',
  '/merchant',
  '/me/',
  '/complaints/',
  '/login',
  '/register',
  '/logout',
  '/accept-invite',
  '/api/v1/admin/',
  '/api/v1/me/',
  '/api/v1/merchant/',
];

const urlset = (entries: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
const url = (loc: string, lastmod?: string) =>
  `<url><loc>${escapeHtml(loc)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;

export default async function boardCrawlerRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const base = app.config.publicUrl.replace(/\/$/, '');
  const maxId = app.sqlite.prepare('SELECT max(complaint_id) FROM public_cases').pluck();
  const casesIn = app.sqlite.prepare(
    'SELECT complaint_id AS id, updated_at AS updatedAt FROM public_cases WHERE complaint_id >= ? AND complaint_id < ? ORDER BY complaint_id',
  );
  const files = new LRUCache<string, { at: number; xml: string }>({ max: 64 });
  const cached = (key: string, build: () => string) => {
    const hit = files.get(key);
    if (hit && app.clock.now() - hit.at < CACHE_MS) return hit.xml;
    const xml = build();
    files.set(key, { at: app.clock.now(), xml });
    return xml;
  };
  const crawl = { rateLimit: { max: 60, timeWindow: '1 minute' } };

  app.get('/robots.txt', { config: crawl }, async (_req, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(
        [
          'User-agent: *',
          ...PRIVATE_PATHS.map((p) => `Disallow: ${p}`),
          'Allow: /',
          '',
          `Sitemap: ${base}/sitemap.xml`,
          '',
        ].join('\n'),
      ),
  );

  // Browsers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', { config: crawl }, async (_req, reply) => reply.redirect('/static/favicon.svg', 301));

  app.get('/sitemap.xml', { config: crawl }, async (_req, reply) => {
    const files = Math.floor(((maxId.get() as number | null) ?? 0) / CASES_PER_SITEMAP) + 1;
    const entries = [
      `${base}/sitemaps/pages.xml`,
      ...Array.from({ length: files }, (_, n) => `${base}/sitemaps/cases/${n}`),
    ];
    return reply
      .type('application/xml; charset=utf-8')
      .send(
        `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries
          .map((loc) => `<sitemap><loc>${escapeHtml(loc)}</loc></sitemap>`)
          .join('\n')}\n</sitemapindex>\n`,
      );
  });

  app.get('/sitemaps/pages.xml', { config: crawl }, async (_req, reply) =>
    reply
      .type('application/xml; charset=utf-8')
      .send(
        urlset([
          url(`${base}/`),
          url(`${base}/cases`),
          url(`${base}/providers`),
          ...['/help', '/privacy', '/terms', '/contact'].map((path) => url(`${base}${path}`)),
          url(`${base}/api/docs`),
          ...app.providers.list().map((p) => url(`${base}/providers/${p.slug}`)),
        ]),
      ),
  );

  app.get(
    '/sitemaps/cases/:n',
    {
      config: crawl,
      schema: { params: Type.Object({ n: Type.Integer({ minimum: 0, maximum: 100_000, title: '文件编号' }) }) },
    },
    async (req, reply) => {
      const from = req.params.n * CASES_PER_SITEMAP;
      const xml = cached(String(req.params.n), () =>
        urlset(
          (casesIn.all(from, from + CASES_PER_SITEMAP) as { id: number; updatedAt: number }[]).map((c) =>
            url(`${base}/cases/${c.id}`, chinaDay(c.updatedAt)),
          ),
        ),
      );
      return reply.type('application/xml; charset=utf-8').send(xml);
    },
  );
}
