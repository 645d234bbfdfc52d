// What the merchant routes accept and answer. The inbox query is declared here (fastify checks types, lists and
// ranges, for the API and the page alike); input.ts keeps what a schema cannot say: the default tab, a query that is
// only stop words, a cursor that must decode and belong to the tab.
import { Loose, Type } from '../../lib/schema.ts';
import { ComplaintSummary, OneOf } from '../complaints/schemas.ts';
import { STAFF_VISIBLE } from '../complaints/states.ts';
import { MAX_PAGE_SIZE, PAGE_SIZE, Q_MAX, TAB_LABELS, TABS } from './input.ts';

/** The inbox's filter form sends empty selects; an empty value is no filter (as in `?status=&overdue=`). */
const orEmpty = <T extends string>(values: readonly T[]) => [...values, ''] as readonly (T | '')[];

export const InboxQuery = Type.Object(
  {
    tab: Type.Optional(
      OneOf(
        orEmpty(TABS),
        '标签',
        `${TABS.map((t) => `${t} ${TAB_LABELS[t]}`).join('、')}；不指定时：有搜索词查全部，否则待处理`,
      ),
    ),
    q: Type.Optional(
      Type.String({ title: '搜索内容', maxLength: Q_MAX, description: '投诉编号（精确）或标题中的词语（全部须出现）' }),
    ),
    // Its characters are the reader's to judge: a cursor that does not decode gets the message that says what to do.
    cursor: Type.Optional(
      Type.String({ title: '翻页参数', maxLength: 80, description: '上一答复的 nextCursor 或 prevCursor' }),
    ),
    status: Type.Optional(OneOf(orEmpty(STAFF_VISIBLE), '状态')),
    overdue: Type.Optional(OneOf(['1', '0', 'true', 'false', ''] as const, '是否超时', '只看超时（1）或未超时（0）')),
    // Paging is by cursor: only page 1 exists; input.ts tells an old client asking for page 2 how to page now.
    page: Type.Optional(Type.String({ title: '页码', maxLength: 10 })),
    limit: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, title: '每页条数' }), Type.Literal('')], {
        title: '每页条数',
        description: `1–${MAX_PAGE_SIZE}，默认 ${PAGE_SIZE}`,
      }),
    ),
  },
  { title: '筛选' },
);

export const MerchantShowQuery = Type.Object({ done: Loose('完成的操作', 40) });

const InboxItem = Type.Object(
  {
    ...ComplaintSummary.properties,
    deadline: Type.Union([
      Type.Object({
        kind: Type.String({ description: '正在计时的时限：首次回复或提出解决方案' }),
        dueAt: Type.String({ format: 'date-time' }),
        text: Type.String({ description: '如“剩余 5 小时 12 分”' }),
        late: Type.Boolean(),
      }),
      Type.Null(),
    ]),
    resolutionPaused: Type.Boolean({ description: '等待消费者时解决时限暂停' }),
  },
  { title: '收件箱条目' },
);

const Counts = Type.Object(Object.fromEntries(TABS.map((t) => [t, Type.Integer({ description: TAB_LABELS[t] })])));

export const InboxBody = Type.Object(
  {
    tab: OneOf(TABS, '标签'),
    match: Type.Union([Type.Literal('reference'), Type.Literal('title'), Type.Null()], {
      description: '搜索时：按编号（reference）或标题词（title）找到；未搜索为 null',
    }),
    pageSize: Type.Integer(),
    counts: Counts,
    total: Type.Union([Type.Integer(), Type.Null()], { description: '标签内总数；搜索时为 null（不逐次计数）' }),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
    prevCursor: Type.Union([Type.String(), Type.Null()]),
    items: Type.Array(InboxItem),
  },
  { title: '收件箱' },
);
