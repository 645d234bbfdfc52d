// What the board's routes accept, declared once: fastify validates with these and the OpenAPI document is generated
// from them. What a schema cannot say (a calendar day that exists, from ≤ to, yuan typed by people, the last page of
// the search window) stays in query.ts, with its Chinese messages.
import { Type, type Static } from '../../lib/schema.ts';
import { LIMITS } from '../complaints/input.ts';
import { CATEGORIES } from '../complaints/taxonomy.ts';
import { MAX_RESULT_WINDOW } from '../search/types.ts';
import { MODERATION_EVENTS } from './public-timeline.ts';
import { MAX_PAGE_SIZE, PUBLIC_STATUSES, SORTS } from './search-params.ts';

/**
 * One of a fixed set of strings (a plain `enum`: one message, labelled, rather than a branch per value); forms send ''
 * for "any", so `blank` admits it. Typed as a string: the type provider cannot read the set, the reader narrows it.
 */
export const Choice = (
  title: string,
  values: readonly string[],
  opts: { description?: string; blank?: boolean } = {},
) =>
  Type.String({
    title,
    enum: opts.blank ? ['', ...values] : [...values],
    ...(opts.description ? { description: opts.description } : {}),
  });

const Day = (title: string, description: string) =>
  Type.String({ title, pattern: '^(\\d{4}-\\d{2}-\\d{2})?$', description });
const Fen = (title: string, description: string) =>
  Type.Integer({ title, minimum: 0, maximum: LIMITS.maxAmountFen, description });

/** The filters of the list, the exports and the feed. */
const FILTERS = {
  q: Type.Optional(
    Type.String({
      title: '搜索词',
      maxLength: 100,
      description: '搜索词（中文分词；支持机构别名，如 工行、微信），最多 100 字',
    }),
  ),
  provider: Type.Optional(
    Type.String({ title: '机构标识', pattern: '^([a-z0-9][a-z0-9-]{0,39})?$', description: '机构标识，如 alipay' }),
  ),
  category: Type.Optional(Choice('问题类型', CATEGORIES, { blank: true, description: '问题类型' })),
  status: Type.Optional(Choice('状态', PUBLIC_STATUSES, { blank: true, description: '处理状态（只接受公开的状态）' })),
  from: Type.Optional(Day('开始日期', '提交日期起（含），YYYY-MM-DD')),
  to: Type.Optional(Day('结束日期', '提交日期止（含），YYYY-MM-DD，不早于 from')),
  amountMin: Type.Optional(Fen('最低金额', '最低涉诉金额（分）')),
  amountMax: Type.Optional(Fen('最高金额', '最高涉诉金额（分），不低于 amountMin')),
};
const SORT = {
  sort: Type.Optional(
    Choice('排序方式', SORTS, { blank: true, description: '排序：relevance（有搜索词时默认）或 newest' }),
  ),
};
const PAGING = {
  page: Type.Optional(
    Type.Integer({
      title: '页码',
      minimum: 1,
      maximum: MAX_RESULT_WINDOW,
      description: `页码，从 1 开始；页码 × 每页条数不超过 ${MAX_RESULT_WINDOW}`,
    }),
  ),
  pageSize: Type.Optional(
    Type.Integer({
      title: '每页条数',
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      description: `每页条数 1-${MAX_PAGE_SIZE}，默认 20`,
    }),
  ),
};

/** GET /api/v1/cases, and the exports (which check paging too, then export from the first row). */
export const BoardQuery = Type.Object({ ...FILTERS, ...SORT, ...PAGING });
/** The /cases page: the same, plus the amounts as people type them (yuan, "1,200.50 元"). */
export const BoardPageQuery = Type.Object({
  ...FILTERS,
  ...SORT,
  ...PAGING,
  minYuan: Type.Optional(Type.String({ title: '最低金额（元）', maxLength: 30 })),
  maxYuan: Type.Optional(Type.String({ title: '最高金额（元）', maxLength: 30 })),
});
/** The feed: newest first, a fixed length. */
export const FeedQuery = Type.Object(FILTERS);
export type BoardInput = Static<typeof BoardPageQuery>;

/** The draft on the complaint form; the reader applies "title or description" and the provider matching. */
const Draft = {
  provider: Type.Optional(
    Type.String({ title: '投诉对象（机构）', maxLength: LIMITS.provider, description: '机构标识、名称或别名' }),
  ),
  category: Type.Optional(Type.String({ title: '问题类型', maxLength: 40 })),
};
export const SimilarDraft = Type.Object(
  {
    ...Draft,
    title: Type.Optional(Type.String({ title: '投诉标题', maxLength: LIMITS.title })),
    description: Type.Optional(Type.String({ title: '投诉内容', maxLength: LIMITS.description })),
  },
  { description: '标题与内容至少填写一项' },
);
export const PreviewDraft = Type.Object({
  title: Type.String({ title: '投诉标题', maxLength: LIMITS.title }),
  description: Type.String({ title: '投诉内容', maxLength: LIMITS.description }),
});

const moderation = {
  reason: Type.Optional(Type.String({ title: '撤下原因', maxLength: 500, description: 'unpublish 时必填' })),
  field: Type.Optional(
    Type.String({
      title: '要修改的内容',
      maxLength: 40,
      description: 'public_edit 时必填：title、description 或 event:<事件编号>',
    }),
  ),
  text: Type.Optional(
    Type.String({
      title: '公开文本',
      maxLength: 5000,
      description: 'public_edit 时必填：新的公开文本（标题最多 60 字）',
    }),
  ),
};
export const ModerationBody = Type.Object({
  type: Choice('操作类型', MODERATION_EVENTS, {
    description: 'unpublish 撤下、republish 重新公开、public_edit 修改公开文本',
  }),
  ...moderation,
});
/** The admin page's form: strings, each beside its field. */
export const ModerationForm = Type.Object({
  type: Type.Optional(Type.String({ title: '操作类型', maxLength: 20 })),
  ...moderation,
});
export const DoneQuery = Type.Object({ done: Type.Optional(Type.String({ title: '已完成的操作', maxLength: 20 })) });
