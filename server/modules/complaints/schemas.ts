// What the complaint routes accept and answer, declared once: fastify validates JSON bodies with these, the handlers
// check multipart and form fields against the same schemas (lib/schema-check.ts), and the OpenAPI document is
// generated from them. The readers (input.ts, events-input.ts) keep what a schema cannot say: trimming and lengths
// after it, calendar dates, rules that depend on the event type.
import type { FastifyRequest } from 'fastify';
import { IdParams, Loose, Type, type TSchema } from '../../lib/schema.ts';
import { Invalid, NotFound } from '../../lib/errors.ts';
import { checkSchema } from '../../lib/schema-check.ts';
import { ACTOR_EVENTS, STATUSES } from './states.ts';
import { CATEGORIES, CATEGORY_LABELS, DEMAND_LABELS } from './taxonomy.ts';
import { LIMITS } from './input.ts';
import { BODY_MAX, REASON_MAX, RATING_LABELS, readEventFields, readEventType } from './events-input.ts';

/** One of a fixed list, as a single `enum` (so a refusal carries this schema's label, not a branch's). */
export const OneOf = <T extends string>(values: readonly T[], title: string, description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], title, ...(description ? { description } : {}) });

/**
 * A value that may also be null (JSON) or empty (forms). A `type` list rather than anyOf: the validator coerces only
 * when no listed type matches, so 0 stays 0 and null stays null instead of turning into each other.
 */
const OrNull = <T>(types: string[], title: string, extra: Record<string, unknown> = {}) =>
  Type.Optional(Type.Unsafe<T | null>({ type: [...types, 'null'], title, ...extra }));

const listed = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k} ${v}`)
    .join('、');

export const ComplaintBody = Type.Object(
  {
    provider: Type.String({
      title: '投诉对象（机构）',
      maxLength: LIMITS.provider,
      description: '机构标识、名称或别名；名录中没有的机构作为待核实机构创建，审核前不公开',
    }),
    category: OneOf(CATEGORIES, '问题类型', listed(CATEGORY_LABELS)),
    title: Type.String({
      title: '投诉标题',
      maxLength: LIMITS.title,
      description: `${LIMITS.titleMin}–${LIMITS.title} 个字`,
    }),
    description: Type.String({
      title: '投诉内容',
      maxLength: LIMITS.description,
      description: `${LIMITS.descriptionMin}–${LIMITS.description} 个字`,
    }),
    // Each demand is checked by the reader, so a wrong one is named on `demands` (the form's field), not `demands.1`.
    demands: Type.Array(Type.String({ maxLength: 20 }), {
      title: '投诉要求',
      minItems: 1,
      maxItems: 20,
      description: `至少一项：${listed(DEMAND_LABELS)}`,
    }),
    amountFen: OrNull<number>(['integer'], '涉诉金额', {
      minimum: 0,
      maximum: LIMITS.maxAmountFen,
      description: '单位：分',
    }),
    amountYuan: OrNull<string>(['string'], '涉诉金额', {
      maxLength: 30,
      description: '表单用：以元为单位，如 569.78（有 amountFen 时忽略）',
    }),
    incidentDate: OrNull<string>(['string'], '发生日期', {
      pattern: '^(\\d{4}-\\d{2}-\\d{2})?$',
      description: 'YYYY-MM-DD（北京时间），不晚于今天',
    }),
    transactionRef: OrNull<string>(['string'], '交易单号', {
      maxLength: LIMITS.transactionRef,
      description: '只给机构和平台看，永不公开',
    }),
    contactPhone: OrNull<string>(['string'], '联系电话', {
      maxLength: 20,
      description: '只在 shareContact 为 true 时提供给机构',
    }),
    // JSON sends a boolean; the form's checkbox sends "1".
    shareContact: Type.Optional(
      Type.Union(
        [
          Type.Boolean({ title: '是否向机构提供联系电话' }),
          OneOf(['1', '0', 'on', ''] as const, '是否向机构提供联系电话'),
        ],
        { title: '是否向机构提供联系电话' },
      ),
    ),
    consent: OneOf(['public', 'private'] as const, '公开方式', 'public 审核后匿名公开；private 只转交机构，不公开'),
    submissionKey: Type.Optional(
      Type.String({
        title: '提交标识',
        maxLength: 200,
        description: '防止重复提交的一次性标识（也可用 Idempotency-Key 请求头）',
      }),
    ),
  },
  { title: '投诉' },
);

/** An edit sends only what changes; the rest is kept. */
export const ComplaintPatch = Type.Partial(ComplaintBody, { title: '投诉修改' });

const Rating = (key: keyof typeof RATING_LABELS) =>
  Type.Optional(Type.Integer({ title: `「${RATING_LABELS[key]}」评分（1-5 分）`, minimum: 1, maximum: 5 }));

export const EventBody = Type.Object(
  {
    type: OneOf(
      ACTOR_EVENTS,
      '操作类型',
      '管理员：approve、reject、close_unresolved、unpublish、republish；商家：reply、request_info、propose_resolution、note（内部）；消费者：supplement、confirm、dispute、withdraw、reopen',
    ),
    body: OrNull<string>(['string'], '内容', {
      maxLength: BODY_MAX,
      description:
        '回复、补充、方案、备注或原因；reply、request_info、propose_resolution、note、supplement、dispute 必填',
    }),
    reason: OrNull<string>(['string'], '原因', {
      maxLength: REASON_MAX,
      description: 'reject 必填；close_unresolved 可选',
    }),
    rating: Type.Optional(
      Type.Object(
        { attitude: Rating('attitude'), speed: Rating('speed'), satisfaction: Rating('satisfaction') },
        { title: '评价', description: 'confirm 必填，三项各 1-5 分' },
      ),
    ),
  },
  { title: '事件' },
);

/** Forms post the rating as rating.attitude / rating.speed / rating.satisfaction: folded so one schema checks both. */
export function foldRating(fields: Record<string, unknown>): Record<string, unknown> {
  const flat = Object.keys(RATING_LABELS).filter((k) => `rating.${k}` in fields);
  if (!flat.length) return fields;
  const nested =
    fields.rating && typeof fields.rating === 'object' && !Array.isArray(fields.rating)
      ? (fields.rating as Record<string, unknown>)
      : {};
  for (const k of flat) {
    nested[k] = fields[`rating.${k}`];
    delete fields[`rating.${k}`];
  }
  fields.rating = nested;
  return fields;
}

/**
 * A page addressed by id: a non-numeric id is the page that does not exist (404 page), as for an unknown one.
 * Routes declare `params: IdParams` with `attachValidation: true` and read the id through this.
 */
export function pageId(req: FastifyRequest): number {
  if (req.validationError?.validationContext === 'params') throw new NotFound('找不到这个页面');
  // A form's body problems are formAction's to show beside the fields; anything else refused is refused here.
  if (req.validationError && req.validationError.validationContext !== 'body') throw req.validationError;
  return (req.params as { id: number }).id;
}

export const AttachmentParams = Type.Object({
  ...IdParams.properties,
  attachmentId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, title: '附件编号' }),
});
export const ComplaintPageQuery = Type.Object({ done: Loose('完成的操作', 40), filed: Loose('刚提交', 10) });
export const NewComplaintQuery = Type.Object({ provider: Loose('投诉对象（机构）', 100) });

// Answers. fast-json-stringify keeps only what is listed, so every field the view models return is here.
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Iso = Type.String({ format: 'date-time' });
const ProviderRef = Type.Object({ slug: Type.String(), name: Type.String(), hotline: Nullable(Type.String()) });
const Attachment = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  mime: Type.String(),
  sizeBytes: Type.Integer(),
  url: Type.String({ description: '只在投诉的可见范围内提供' }),
  from: Type.Optional(
    Type.Union([Type.Literal('consumer'), Type.Literal('provider')], { description: '谁提供的：消费者或机构' }),
  ),
});
const StatusEnum = Type.Unsafe<string>({ type: 'string', enum: [...STATUSES] });

export const ComplaintSummary = Type.Object(
  {
    id: Type.Integer(),
    reference: Type.String({ description: '给消费者看的投诉编号' }),
    status: StatusEnum,
    statusLabel: Type.String(),
    title: Type.String(),
    category: Type.String(),
    provider: ProviderRef,
    amountFen: Nullable(Type.Integer({ description: '涉诉金额，单位：分' })),
    overdue: Type.Boolean({ description: '机构未在时限内回复或解决（超时）' }),
    createdAt: Nullable(Iso),
    updatedAt: Nullable(Iso),
  },
  { title: '投诉摘要' },
);

const Deadlines = Type.Object({
  firstResponseDueAt: Nullable(Iso),
  resolutionDueAt: Nullable(Iso),
  firstResponseBreachedAt: Nullable(Iso),
  resolutionBreachedAt: Nullable(Iso),
  firstResponseAt: Nullable(Iso),
  forwardedAt: Nullable(Iso),
  resolutionPaused: Type.Boolean({ description: '等待消费者时解决时限暂停' }),
  resolutionPausedMs: Type.Integer(),
  autoCloseAt: Nullable(Iso),
  overdue: Type.Boolean(),
  firstResponseHours: Nullable(Type.Number({ description: '首次回复时限（转交后小时数，按平台规则与该类别的设置）' })),
  resolutionHours: Nullable(Type.Number({ description: '解决时限（转交后小时数）' })),
  current: Nullable(Type.Object({ kind: Type.String(), dueAt: Nullable(Iso) })),
});

export const ComplaintView = Type.Object(
  {
    ...ComplaintSummary.properties,
    provider: Type.Object({ ...ProviderRef.properties, verified: Type.Boolean() }),
    categoryLabel: Type.String(),
    description: Type.String(),
    demands: Type.Array(Type.String()),
    incidentDate: Nullable(Type.String()),
    transactionRef: Nullable(Type.String()),
    consent: Type.String(),
    contactPhone: Nullable(Type.String({ description: '商家只在消费者同意时可见' })),
    shareContact: Type.Boolean(),
    timeline: Type.Array(
      Type.Object({
        id: Type.Integer(),
        type: Type.String(),
        label: Type.String(),
        actorRole: Type.String(),
        body: Nullable(Type.String()),
        status: Nullable(Type.String()),
        data: Nullable(Type.Object({}, { additionalProperties: true })),
        internal: Type.Boolean({ description: '商家内部备注，消费者与公开页面不可见' }),
        at: Nullable(Iso),
      }),
    ),
    attachments: Type.Array(Attachment),
    deadlines: Deadlines,
    deliveries: Type.Array(
      Type.Object({
        channel: Type.String(),
        channelLabel: Type.String(),
        status: Type.String(),
        withOperator: Type.Boolean(),
        attempts: Type.Integer(),
        lastError: Nullable(Type.String({ description: '消费者不可见' })),
        doneAt: Nullable(Iso),
      }),
    ),
  },
  { title: '投诉详情' },
);

export const FiledBody = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  status: StatusEnum,
  duplicate: Type.Boolean({ description: '同一提交标识重复提交时为 true（200，返回第一次的投诉）' }),
});
export const MyComplaints = Type.Object({ items: Type.Array(ComplaintSummary) });
export { Attachment as AttachmentView, ProviderRef };

/**
 * An event's fields read in the handler (multipart or a form) checked against EventBody; returns the checked copy
 * the lifecycle reads. When the schema refuses something, the event type's own rules are read too, so a form shows
 * every problem at once; when it passes, the lifecycle reads the rest in its order (404, then 409, then 400).
 */
export function checkEventFields(fields: Record<string, unknown>, hasFiles = false): Record<string, unknown> {
  const { value, problems } = checkSchema(EventBody, foldRating({ ...fields }), { emptyIsAbsent: true });
  if (!Object.keys(problems).length) return value;
  let more: Record<string, string> = {};
  try {
    readEventFields(readEventType(value), value, hasFiles);
  } catch (err) {
    if (err instanceof Invalid) more = err.errors;
    else throw err;
  }
  throw new Invalid({ ...more, ...problems });
}

/**
 * The edit page's urlencoded form: every field a string (demands may repeat). Its content is checked in the action
 * against ComplaintPatch, after the repeated demands are gathered, so each message lands beside its field.
 */
export const EditForm = Type.Record(
  Type.String(),
  Type.Union([Type.String({ maxLength: 20_000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })]),
  { title: '投诉修改表单' },
);
