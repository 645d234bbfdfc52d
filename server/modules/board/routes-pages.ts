// Board pages: the case list with search, filters and facets (a GET form: works without JavaScript), one case with its
// public timeline, similar cases, the provider directory and each provider's page with its scorecard. Every page reads the public view only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Invalid, NotFound } from '../../lib/errors.ts';
import { IdParams, SlugParams } from '../../lib/schema.ts';
import { BoardPageQuery, type BoardInput } from './schemas.ts';
import { CATEGORIES, CATEGORY_LABELS } from '../complaints/taxonomy.ts';
import { STATUS_LABELS } from '../complaints/states.ts';
import { toPublicProvider } from '../providers/view-model.ts';
import { emptyFacets, MAX_RESULT_WINDOW, type SearchQuery } from '../search/types.ts';
import { queryTerms } from '../search/segment.ts';
import { filtersToQueryString, readBoardQuery, type BoardFilters } from './query.ts';
import { DEFAULT_PAGE_SIZE, PUBLIC_STATUSES } from './search-params.ts';
import { isWholeBoard } from './filtered-export.ts';
import { SIMILAR_LIMIT } from './routes-api.ts';
import { chartMarkup, markedHtml } from './safe-html.ts';
import { scorecardDefinitions } from './scorecard.ts';
import { trendChartSvg } from './trend-chart.ts';
import { rateDetail, rateText, type RateFigure } from './figures.ts';
import { PageCache } from './page-cache.ts';
import { Doorkeeper } from '../../lib/doorkeeper.ts';
import { searchHints } from './search-hints.ts';
import { EMPTY_FILTERS, pagination } from './pager.ts';
import { facetsForPage, percent, toCaseListItem } from './view-model.ts';
import { formatCount, formatFen } from '../../lib/view-helpers.ts';

/** A case page read twice within this is kept rendered for anonymous readers (page-cache.ts). */
const PAGE_ADMISSION_WINDOW_MS = 10 * 60_000;

const rateView = (f: RateFigure) => ({ text: rateText(f), detail: rateDetail(f), thin: f.rate === null && f.n > 0 });

/**
 * A page answers its 404 page for an id that is not one (/cases/abc), as for a case that does not exist: the schema
 * refused it (attachValidation), and a reader following a broken link learns nothing more from a 400.
 */
function pageId(req: { validationError?: Error; params: { id: number } }): number {
  if (req.validationError) throw new NotFound('找不到该案例');
  return req.params.id;
}

export default async function boardPageRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const options = (listed = app.providers.list()) => ({
    providers: [...listed, app.providers.other()].map((p) => ({ value: p.slug, label: p.name })),
    categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
    statuses: PUBLIC_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
  });

  async function listPage(
    req: FastifyRequest,
    raw: BoardInput,
    reply: FastifyReply,
    extra: { pageCapped?: { asked?: number; last: number } } = {},
  ): Promise<FastifyReply> {
    let parsed: ReturnType<typeof readBoardQuery>;
    try {
      // What the schema refused is shown beside its field, like what the reader refuses.
      if (req.validationError) throw req.validationError;
      parsed = readBoardQuery(raw);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      // Only the page is past what can be paged (the search window): show the last page that can be, and say why.
      const lastPage = Math.floor(MAX_RESULT_WINDOW / (raw.pageSize ?? DEFAULT_PAGE_SIZE));
      if (Object.keys(err.errors).join() === 'page' && (raw.page ?? 1) > lastPage) {
        return listPage(req, { ...raw, page: lastPage }, reply, { pageCapped: { asked: raw.page, last: lastPage } });
      }
      return reply.page(
        'board/list',
        {
          title: '投诉案例',
          ...options(),
          filters: { ...EMPTY_FILTERS, ...raw },
          errors: err.errors,
          errorSummary: Object.values(err.errors),
          items: [],
          facets: facetsForPage(app, emptyFacets()),
          total: 0,
        },
        400,
      );
    }
    const { query, filters } = parsed;
    const r = await app.board.reader.search(query);
    const items = r.items.map((h) => ({
      ...toCaseListItem(h),
      titleHtml: markedHtml(h.titleHighlighted),
      snippetHtml: markedHtml(h.snippet),
    }));
    const listed = app.providers.list();
    const pageFacets = facetsForPage(app, r.facets, listed);
    const facetLinks = (key: 'provider' | 'category' | 'status') =>
      pageFacets[key].map((x) => ({
        ...x,
        active: filters[key] === x.value,
        href: `/cases${filtersToQueryString(filters, { [key]: filters[key] === x.value ? '' : x.value, page: 1 })}`,
      }));
    const feedQs = new URLSearchParams({
      ...(filters.provider ? { provider: filters.provider } : {}),
      ...(filters.q ? { q: filters.q } : {}),
    }).toString();
    return reply.page('board/list', {
      title: filters.q ? `“${filters.q}”的搜索结果` : '投诉案例',
      ...options(listed),
      filters,
      activeFilters: [
        filters.provider,
        filters.category,
        filters.status,
        filters.from,
        filters.to,
        filters.amountMin,
        filters.amountMax,
      ].filter((v) => v !== '' && v !== null).length,
      minYuan: filters.amountMin === null ? '' : filters.amountMin / 100,
      maxYuan: filters.amountMax === null ? '' : filters.amountMax / 100,
      items,
      total: r.total,
      totalIsEstimate: r.totalIsEstimate,
      pager: pagination(filters, r),
      // Said in words when no case has every word: the list below is a fallback, not what was asked for.
      partial: r.match === 'partial' ? { words: queryTerms(filters.q).slice(0, 10), unmatched: r.unmatched } : null,
      unmatchedOnly: r.match === 'all' && r.unmatched.length ? r.unmatched : null,
      hints: searchHints(
        filters.q,
        r.total,
        listed.filter((p) => p.verified),
      ),
      pageCapped: extra.pageCapped ? { ...extra.pageCapped, window: formatCount(MAX_RESULT_WINDOW) } : null,
      facets: { provider: facetLinks('provider'), category: facetLinks('category'), status: facetLinks('status') },
      feedUrl: `/feeds/cases.xml${feedQs ? `?${feedQs}` : ''}`,
      ...exportLinks(query, filters),
      newestHref: `/cases${filtersToQueryString(filters, { sort: 'newest', page: 1 })}`,
      relevanceHref: `/cases${filtersToQueryString(filters, { sort: 'relevance', page: 1 })}`,
    });
  }

  // The whole board is a prebuilt file (its size and build time shown); narrower lists export what they show, capped.
  function exportLinks(query: SearchQuery, filters: BoardFilters) {
    const meta = app.openData.files?.current();
    const wholeBoard = meta
      ? {
          rows: formatCount(meta.rows),
          builtAtMs: meta.builtAtMs,
          csvBytes: meta.csvBytes,
          jsonlBytes: meta.jsonlBytes,
        }
      : null;
    const qs = filtersToQueryString({ ...filters, page: 1, pageSize: DEFAULT_PAGE_SIZE });
    return {
      wholeBoard,
      wholeBoardPending: !meta && !!app.openData.files,
      ...(isWholeBoard(query)
        ? {}
        : {
            csvUrl: `/api/v1/cases.csv${qs}`,
            jsonlUrl: `/api/v1/cases.jsonl${qs}`,
            exportLimit: formatCount(app.config.exports.maxRows),
          }),
    };
  }

  app.get('/cases', { schema: { querystring: BoardPageQuery }, attachValidation: true }, async (req, reply) =>
    listPage(req, req.query, reply),
  );

  // Anonymous readers get the page rendered once per case version; signed-in people get it rendered for them.
  const pages = new PageCache(2000, new Doorkeeper<number>(PAGE_ADMISSION_WINDOW_MS));
  const pending = new WeakMap<object, { id: number; version: number }>();
  app.get(
    '/cases/:id',
    {
      schema: { params: IdParams },
      attachValidation: true,
      onSend: async (req, reply, payload) => {
        const key = pending.get(req);
        if (key && reply.statusCode === 200 && typeof payload === 'string') pages.set(key.id, key.version, payload);
        return payload;
      },
    },
    async (req, reply) => {
      const id = pageId(req);
      if (!req.actor) {
        const version = app.board.reader.version(id);
        const html = version === null ? undefined : pages.get(id, version);
        if (html)
          return reply.code(200).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
        if (version !== null) pending.set(req, { id, version });
      }
      const c = app.board.reader.get(id);
      return reply.page('board/show', {
        title: c.title,
        c,
        amountText: c.amountFen === null ? '—' : formatFen(c.amountFen),
        similarApi: `/api/v1/cases/${c.id}/similar`,
        providerFeed: `/feeds/cases.xml?provider=${encodeURIComponent(c.provider.slug)}`,
        // Shared links (WeChat, Weibo, chat apps) show the case, not a bare address: the public, anonymised text only.
        share: {
          title: `${c.title}（${c.provider.name}）`,
          url: `${app.config.publicUrl.replace(/\/$/, '')}/cases/${c.id}`,
          shortUrl: `${app.config.publicUrl.replace(/\/$/, '')}/c/${c.id}`,
          description: `${c.statusLabel} · ${c.description.replace(/\s+/g, ' ').slice(0, 100)}`,
        },
      });
    },
  );

  // The short link a reader copies into a chat: /c/<id> answers a permanent redirect to the case, only while it is public.
  app.get('/c/:id', { schema: { params: IdParams }, attachValidation: true }, async (req, reply) => {
    const id = pageId(req);
    if (app.board.reader.version(id) === null) throw new NotFound('找不到该案例');
    return reply.redirect(`/cases/${id}`, 301);
  });

  app.get('/cases/:id/similar', { schema: { params: IdParams }, attachValidation: true }, async (req, reply) => {
    const c = app.board.reader.get(pageId(req));
    const r = await app.board.reader.similar(
      { provider: c.provider.slug, category: c.category, title: c.title, body: c.description, excludeId: c.id },
      SIMILAR_LIMIT * 2,
    );
    return reply.page('board/similar', {
      title: `与“${c.title}”相似的案例`,
      c,
      items: r.items.map((h) => ({
        ...toCaseListItem(h),
        titleHtml: markedHtml(h.titleHighlighted),
        snippetHtml: markedHtml(h.snippet),
      })),
      outcomes: {
        ...r.outcomes,
        resolvedText: percent(r.outcomes.shareResolved),
        refundedText: percent(r.outcomes.shareRefunded),
      },
    });
  });

  // The provider directory, each provider with its headline figures.
  app.get('/providers', async (_req, reply) => {
    const byId = app.board.scorecards.summaries();
    const providers = app.providers.list();
    const scorecards = Object.fromEntries(
      providers.map((p) => {
        const s = byId.get(p.id);
        return [
          p.slug,
          s
            ? {
                complaints: s.complaints,
                replyRate: rateText(s.replyRate),
                confirmedResolutionRate: rateText(s.confirmedResolutionRate),
                averageRating: s.averageRating,
              }
            : null,
        ];
      }),
    );
    return reply.page('providers/list', { title: '机构名录', providers: providers.map(toPublicProvider), scorecards });
  });

  app.get('/providers/:slug', { schema: { params: SlugParams } }, async (req, reply) => {
    const provider = app.providers.getListed(req.params.slug);
    const card = app.board.scorecards.for(provider, app.clock.now());
    return reply.page('providers/show', {
      title: `${provider.name}：投诉与评分`,
      p: provider,
      card,
      d: scorecardDefinitions(app.deadlinePolicy.rules),
      rates: {
        reply: rateView(card.figures.replyRate),
        onTime: rateView(card.figures.onTimeFirstResponseRate),
        resolution: rateView(card.figures.confirmedResolutionRate),
      },
      thin: {
        median: card.medianFirstResponseHours === null && card.figures.medianFirstResponseHours.n > 0,
        rating: card.averageRating === null && card.figures.averageRating.n > 0,
      },
      chart: chartMarkup(trendChartSvg(card.trend, provider.name)),
      recent: app.board.reader.recent({ providerId: provider.id, limit: 10 }),
      feedUrl: `/feeds/cases.xml?provider=${encodeURIComponent(provider.slug)}`,
      casesHref: `/cases?provider=${encodeURIComponent(provider.slug)}`,
    });
  });
}
