// JSON API of the public board (API.md "Public board"), the pre-submission preview, and the admins' publication verbs.
// Thin: read input, call one verb, shape the answer.
import type { FastifyInstance } from 'fastify';
import { body, idParam, requireRole } from '../../lib/http.ts';
import { readModeration } from './moderation.ts';
import { previewDraft, readDraft } from './preview.ts';
import { readBoardQuery } from './query.ts';
import { scorecardDefinitions } from './scorecard.ts';
import { toCaseList, toSimilar } from './view-model.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';

export const SIMILAR_LIMIT = 5;

export default async function boardApiRoutes(app: FastifyInstance) {
  const reads = { rateLimit: { max: 600, timeWindow: '1 minute' } };

  app.get('/api/v1/cases', { config: reads }, async (req) => {
    const { query } = readBoardQuery(req.query as Record<string, unknown>);
    return toCaseList(await app.board.reader.search(query));
  });

  // The stored JSON is the public view as built: sent as it is, without parsing and serialising it again.
  app.get('/api/v1/cases/:id', { config: reads }, async (req, reply) =>
    reply.type('application/json; charset=utf-8').send(app.board.reader.raw(idParam(req)).doc));

  app.get('/api/v1/cases/:id/similar', { config: reads }, async (req) => {
    const c = app.board.reader.get(idParam(req));
    return toSimilar(await app.board.reader.similar(
      { provider: c.provider.slug, category: c.category, title: c.title, body: c.description, excludeId: c.id }, SIMILAR_LIMIT));
  });

  // Drafts on the complaint form: the provider may be typed freely (工行, 微信 …) and is matched like intake does.
  app.post('/api/v1/similar', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req) => {
    const draft = readDraft(body(req), { requireText: false });
    const provider = draft.provider ? app.providers.matchListed(draft.provider)?.slug : undefined;
    const category = draft.category ?? undefined;
    return toSimilar(await app.board.reader.similar({ provider, category, title: draft.title, body: draft.description }, SIMILAR_LIMIT));
  });

  app.post('/api/v1/preview', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req) =>
    previewDraft(app.db, req.ctx(), readDraft(body(req), { requireText: true })));

  app.get('/api/v1/providers/:slug/scorecard', { config: reads }, async (req) => {
    const provider = app.providers.getListed((req.params as { slug: string }).slug);
    return { ...app.board.scorecards.for(provider, app.clock.now()), definitions: scorecardDefinitions(app.deadlinePolicy.rules) };
  });

  app.get('/api/v1/admin/cases/:id/publication', async (req) => {
    requireRole(req, 'admin');
    const id = idParam(req);
    const state = app.board.moderation.state(req.ctx(), id);
    return { ...state, publicCase: state.state === 'published' ? app.board.reader.get(id) : null };
  });

  app.post('/api/v1/admin/cases/:id/publication', { config: ADMIN_WRITE_LIMIT }, async (req) => {
    requireRole(req, 'admin');
    return app.board.moderation.apply(req.ctx(), idParam(req), readModeration(body(req)));
  });
}
