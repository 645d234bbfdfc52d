// JSON API of the public board (API.md "Public board"), the pre-submission preview, and the admins' publication verbs.
// Thin: the schemas check the input, one verb answers, the view model shapes it.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireRole } from '../../lib/http.ts';
import { doc, IdParams, responses, SlugParams } from '../../lib/schema.ts';
import { readModeration } from './moderation.ts';
import { previewDraft, readDraft } from './preview.ts';
import { readBoardQuery } from './query.ts';
import { scorecardDefinitions } from './scorecard.ts';
import { BoardQuery, ModerationBody, PreviewDraft, SimilarDraft } from './schemas.ts';
import { CaseList, Preview, Publication, PublicationResult, PublicCase, Scorecard, Similar } from './schemas-public.ts';
import { toCaseList, toSimilar } from './view-model.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';

export const SIMILAR_LIMIT = 5;

export default async function boardApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const reads = { rateLimit: { max: 600, timeWindow: '1 minute' } };
  const drafts = { rateLimit: { max: 60, timeWindow: '1 minute' } };
  const board = (summary: string, more: { description?: string; csrf?: boolean } = {}) =>
    doc({ tag: '公开案例', summary, ...more });

  app.get(
    '/api/v1/cases',
    {
      config: reads,
      schema: {
        ...board('搜索与浏览公开案例（含分类计数）'),
        querystring: BoardQuery,
        response: responses({ 200: CaseList }, 400),
      },
    },
    async (req) => toCaseList(await app.board.reader.search(readBoardQuery(req.query).query)),
  );

  // The stored JSON is the public view as built: sent as it is, without parsing and serialising it again.
  app.get(
    '/api/v1/cases/:id',
    {
      config: reads,
      schema: {
        ...board('一个公开案例（匿名化）及其公开时间线'),
        params: IdParams,
        response: responses({ 200: PublicCase }, 400, 404),
      },
    },
    async (req, reply) => reply.type('application/json; charset=utf-8').send(app.board.reader.raw(req.params.id).doc),
  );

  app.get(
    '/api/v1/cases/:id/similar',
    {
      config: reads,
      schema: {
        ...board('与该案例相似的公开案例及处理结果统计'),
        params: IdParams,
        response: responses({ 200: Similar }, 400, 404),
      },
    },
    async (req) => {
      const c = app.board.reader.get(req.params.id);
      return toSimilar(
        await app.board.reader.similar(
          { provider: c.provider.slug, category: c.category, title: c.title, body: c.description, excludeId: c.id },
          SIMILAR_LIMIT,
        ),
      );
    },
  );

  // Drafts on the complaint form: the provider may be typed freely (工行, 微信 …) and is matched like intake does.
  app.post(
    '/api/v1/similar',
    {
      config: drafts,
      schema: {
        ...board('为填写中的投诉找相似的公开案例（附处理结果统计）', { csrf: true }),
        body: SimilarDraft,
        response: responses({ 200: Similar }, 400, 403, 429),
      },
    },
    async (req) => {
      const draft = readDraft(req.body, { requireText: false });
      const provider = draft.provider ? app.providers.matchListed(draft.provider)?.slug : undefined;
      const category = draft.category ?? undefined;
      return toSimilar(
        await app.board.reader.similar(
          { provider, category, title: draft.title, body: draft.description },
          SIMILAR_LIMIT,
        ),
      );
    },
  );

  app.post(
    '/api/v1/preview',
    {
      config: drafts,
      schema: {
        ...board('提交前预览匿名化后的公开文本', { csrf: true }),
        body: PreviewDraft,
        response: responses({ 200: Preview }, 400, 403, 429),
      },
    },
    async (req) => previewDraft(app.db, req.ctx(), readDraft(req.body, { requireText: true })),
  );

  app.get(
    '/api/v1/providers/:slug/scorecard',
    {
      config: reads,
      schema: {
        ...doc({ tag: '机构', summary: '机构评分卡（含 12 个月趋势与各项定义）' }),
        params: SlugParams,
        response: responses({ 200: Scorecard }, 400, 404),
      },
    },
    async (req) => {
      const provider = app.providers.getListed(req.params.slug);
      return {
        ...app.board.scorecards.for(provider, app.clock.now()),
        definitions: scorecardDefinitions(app.deadlinePolicy.rules),
      };
    },
  );

  app.get(
    '/api/v1/admin/cases/:id/publication',
    {
      schema: {
        ...doc({ tag: '公开案例', summary: '一个案例的公开状态与公开内容', auth: '管理员' }),
        params: IdParams,
        response: responses({ 200: Publication }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      const { id } = req.params;
      const state = app.board.moderation.state(req.ctx(), id);
      return { ...state, publicCase: state.state === 'published' ? app.board.reader.get(id) : null };
    },
  );

  app.post(
    '/api/v1/admin/cases/:id/publication',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: {
        ...doc({
          tag: '公开案例',
          summary:
            '撤下（unpublish，需 reason）、重新公开（republish）或修改公开文本（public_edit，field + text）；均记入时间线',
          auth: '管理员',
          csrf: true,
        }),
        params: IdParams,
        body: ModerationBody,
        response: responses({ 200: PublicationResult }, 400, 401, 403, 404, 409, 429),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return app.board.moderation.apply(req.ctx(), req.params.id, readModeration(req.body));
    },
  );
}
