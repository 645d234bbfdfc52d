// What the board's JSON answers look like. The serializer drops any property not listed here, so each shape lists
// every field its builder returns (view-model.ts, public-case.ts, scorecard.ts, reader.ts).
import { Type, type TSchema } from '../../lib/schema.ts';

const Str = (description?: string) => Type.String(description ? { description } : {});
const Int = (description?: string) => Type.Integer(description ? { description } : {});
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Day = (description = 'YYYY-MM-DD（北京时间），公开数据只精确到日') => Type.String({ description });
const Rate = (description = '0 到 1 之间的比例；背后少于 10 件时为 null（样本不足）') =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description });
const Counts = Type.Record(Type.String(), Type.Integer());

export const CaseListItem = Type.Object(
  {
    id: Int(),
    url: Str('案例页面的路径'),
    title: Str(),
    titleHighlighted: Str('已转义的 HTML，搜索词以 <mark> 标出'),
    snippet: Str('已转义的 HTML 摘要，搜索词以 <mark> 标出'),
    provider: Str('机构标识 slug'),
    providerName: Str(),
    category: Str(),
    categoryLabel: Str(),
    status: Str(),
    statusLabel: Str(),
    amountFen: Nullable(Int('涉诉金额，单位：分')),
    amountText: Nullable(Str('涉诉金额的中文写法，如 1,200.00 元')),
    filedAt: Day(),
    overdue: Type.Boolean({ description: '机构未在时限内回复或解决（超时）' }),
  },
  { title: '案例摘要' },
);

export const CaseList = Type.Object(
  {
    total: Int('匹配的案例数'),
    totalIsEstimate: Type.Optional(Type.Boolean({ description: '为 true 时 total 是下限或估计值' })),
    page: Int(),
    pageSize: Int(),
    items: Type.Array(CaseListItem),
    facets: Type.Object(
      { provider: Counts, category: Counts, status: Counts },
      { description: '结果集内按机构、问题类型、状态的计数' },
    ),
    match: Type.Union([Type.Literal('all'), Type.Literal('partial')], {
      description: 'all：每个案例都包含全部搜索词；partial：没有案例同时包含全部词，结果为部分匹配（包含较多词的在前）',
    }),
    unmatched: Type.Array(Str(), { description: '没有任何案例包含的搜索词（不计筛选条件）' }),
  },
  { title: '案例列表' },
);

const Rating = Type.Object({ attitude: Int(), speed: Int(), satisfaction: Int() });

export const PublicCase = Type.Object(
  {
    id: Int(),
    url: Str(),
    title: Str(),
    description: Str(),
    consumer: Str('每案不同的匿名代号，无法跨案关联'),
    provider: Type.Object({ slug: Str(), name: Str(), hotline: Nullable(Str()), verified: Type.Boolean() }),
    category: Str(),
    categoryLabel: Str(),
    demands: Type.Array(Str()),
    demandLabels: Type.Array(Str()),
    amountFen: Nullable(Int()),
    filedAt: Day(),
    incidentDate: Nullable(Day()),
    status: Str(),
    statusLabel: Str(),
    overdue: Type.Boolean(),
    deadlines: Type.Object({
      firstResponseDue: Nullable(Day()),
      firstResponseMet: Nullable(Type.Boolean()),
      firstResponseOverdue: Type.Boolean(),
      resolutionDue: Nullable(Day()),
      resolutionOverdue: Type.Boolean(),
      firstResponseHours: Nullable(Type.Number({ description: '首次回复时限（转交后小时数）' })),
      resolutionHours: Nullable(Type.Number({ description: '解决时限（转交后小时数）' })),
      firstResponseDueAt: Type.Optional(
        Nullable(Type.String({ format: 'date-time', description: '首次回复截止时刻' })),
      ),
      resolutionDueAt: Type.Optional(Nullable(Type.String({ format: 'date-time', description: '解决截止时刻' }))),
    }),
    timeline: Type.Array(
      Type.Object({
        type: Str(),
        label: Str(),
        by: Type.Union([Type.Literal('consumer'), Type.Literal('provider'), Type.Literal('platform')]),
        body: Nullable(Str()),
        date: Day(),
        status: Nullable(Str()),
        superseded: Type.Optional(
          Type.Boolean({ description: '被消费者否决、重新打开或新方案取代的旧方案：只是历史，不是答复' }),
        ),
      }),
    ),
    resolution: Type.Union([Type.Object({ text: Str(), date: Day(), confirmed: Type.Boolean() }), Type.Null()], {
      description: '当前有效的方案或已确认的解决结果；被否决或重新打开后为 null',
    }),
    stateNote: Nullable(Str('投诉为何重新处于处理中（消费者不认可方案或重新打开）')),
    outcome: Type.Object({
      resolved: Type.Boolean(),
      refunded: Type.Boolean(),
      daysToResolution: Nullable(Type.Number()),
      rating: Nullable(Rating),
    }),
    updatedAt: Day(),
  },
  { title: '公开案例' },
);

export const Similar = Type.Object(
  {
    items: Type.Array(CaseListItem),
    outcomes: Type.Object({
      basedOn: Int('统计所依据的相似案例数'),
      concluded: Int('其中已结束的'),
      shareResolved: Rate(),
      medianDaysToResolution: Nullable(Type.Number()),
      shareRefunded: Rate(),
    }),
  },
  { title: '相似案例' },
);

const Figure = Type.Object({
  rate: Rate(),
  n: Int(),
  low: Rate('95% Wilson 区间下限'),
  high: Rate('95% Wilson 区间上限'),
});
const Sample = Type.Object({ n: Int() });

export const Scorecard = Type.Object(
  {
    slug: Str(),
    name: Str(),
    hotline: Nullable(Str()),
    verified: Type.Boolean(),
    complaints: Int(),
    replyRate: Rate(),
    onTimeFirstResponseRate: Rate(),
    medianFirstResponseHours: Nullable(Type.Number()),
    confirmedResolutionRate: Rate('只计消费者确认的“已解决”；消费者未确认而关闭的不算'),
    averageRating: Nullable(Type.Number()),
    figures: Type.Object(
      {
        replyRate: Figure,
        onTimeFirstResponseRate: Figure,
        confirmedResolutionRate: Figure,
        medianFirstResponseHours: Sample,
        averageRating: Sample,
      },
      {
        description:
          '每个数字背后的件数 n；比率另有 95% Wilson 区间 low/high。少于 minimumSample 件时比率为 null（样本不足）',
      },
    ),
    minimumSample: Int(),
    counts: Type.Object({
      replied: Int(),
      firstResponseDecided: Int(),
      firstResponseOnTime: Int(),
      finished: Int(),
      resolved: Int(),
      rated: Int(),
    }),
    trend: Type.Array(
      Type.Object({
        month: Str('YYYY-MM'),
        complaints: Int(),
        replyRate: Rate(),
        onTimeFirstResponseRate: Rate(),
        confirmedResolutionRate: Rate(),
        finished: Int(),
        thin: Type.Boolean(),
      }),
    ),
    asOf: Type.String({ format: 'date-time' }),
    definitions: Type.Record(Type.String(), Type.String(), { description: '每项数字的定义' }),
  },
  { title: '评分卡' },
);

export const Preview = Type.Object(
  {
    title: Str('匿名化后的标题'),
    description: Str('匿名化后的内容'),
    findings: Int('替换的个人信息处数'),
    removed: Type.Record(Type.String(), Type.Integer(), { description: '占位符 → 使用次数，如 {"[手机号]": 2}' }),
  },
  { title: '预览' },
);

const PublicationState = Type.Union([
  Type.Literal('published'),
  Type.Literal('taken_down'),
  Type.Literal('not_public'),
]);
export const Publication = Type.Object(
  {
    state: PublicationState,
    label: Str('公开状态的中文'),
    status: Str('投诉状态'),
    consent: Str('消费者是否同意公开'),
    publicCase: Nullable(PublicCase),
  },
  { title: '公开状态' },
);
export const PublicationResult = Type.Object(
  { state: PublicationState, published: Type.Boolean() },
  { title: '公开操作结果' },
);

/** Files: the body is the file itself. */
export const FileBody = (description: string) => Type.String({ description });
