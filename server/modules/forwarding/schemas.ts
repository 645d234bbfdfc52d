// What the delivery and operator routes accept and answer (JSON and the admin pages' forms).
import { Type, type TSchema } from '../../lib/schema.ts';
import { OUTBOX_STATUSES } from '../outbox/schema.ts';

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Iso = Nullable(Type.String({ format: 'date-time' }));

export const DeliveryQuery = Type.Object({
  status: Type.Optional(
    Type.String({ title: '状态', enum: ['', ...OUTBOX_STATUSES], description: 'pending / sending / done / dead' }),
  ),
});
export const RecordedQuery = Type.Object({ recorded: Type.Optional(Type.String({ title: '已记录', maxLength: 2 })) });
export const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ title: '已保存', maxLength: 2 })) });

const outcome = {
  outcome: Type.String({
    title: '处理结果',
    maxLength: 20,
    description: '电话：reached / no_answer / wrong_number / other；查找联系方式：found / not_found / other',
  }),
};
const note = { note: Type.Optional(Type.String({ title: '备注', maxLength: 500, description: '选择 other 时必填' })) };
export const CallOutcome = Type.Object({ ...outcome, ...note });
export const CallOutcomeForm = Type.Object({ outcome: Type.Optional(outcome.outcome), ...note });

/** The provider edit form: strings from the form (verified is a checkbox: "on" or absent). */
export const ProviderEditForm = Type.Object({
  name: Type.Optional(Type.String({ title: '机构名称', maxLength: 60 })),
  hotline: Type.Optional(Type.String({ title: '客服电话', maxLength: 20 })),
  website: Type.Optional(Type.String({ title: '网址', maxLength: 500 })),
  contactSource: Type.Optional(Type.String({ title: '联系方式来源', maxLength: 200 })),
  verified: Type.Optional(Type.String({ title: '已核实', maxLength: 3 })),
  emailTo: Type.Optional(Type.String({ title: '投诉邮箱', maxLength: 254 })),
  webhookUrl: Type.Optional(Type.String({ title: 'Webhook 地址', maxLength: 500 })),
  webhookSecret: Type.Optional(Type.String({ title: 'Webhook 密钥', maxLength: 200 })),
});

export const OutboxView = Type.Object(
  {
    id: Type.Integer(),
    topic: Type.String(),
    topicLabel: Type.String(),
    channel: Nullable(Type.String()),
    channelLabel: Nullable(Type.String()),
    complaintId: Nullable(Type.Integer()),
    status: Type.String(),
    statusText: Type.String(),
    withOperator: Type.Boolean({ description: '由运营人员处理中（电话或查找联系方式）' }),
    attempts: Type.Integer(),
    maxAttempts: Type.Integer(),
    nextAttemptAt: Iso,
    lastError: Nullable(Type.String()),
    idempotencyKey: Nullable(Type.String()),
    createdAt: Iso,
    doneAt: Iso,
    canRetry: Type.Boolean(),
  },
  { title: '投递' },
);
const Attempt = Type.Object({
  attempt: Type.Integer(),
  startedAt: Iso,
  finishedAt: Nullable(Iso),
  ok: Nullable(Type.Boolean({ description: '进行中时为 null' })),
  detail: Nullable(Type.String()),
});
const Counts = Type.Object({
  pending: Type.Integer(),
  sending: Type.Integer(),
  done: Type.Integer(),
  dead: Type.Integer(),
});

export const DeliveryList = Type.Object({ counts: Counts, items: Type.Array(OutboxView) });
/** Here `attempts` is the list of attempts; their count is `attemptCount`. */
export const DeliveryDetail = Type.Object(
  { ...OutboxView.properties, attempts: Type.Array(Attempt), attemptCount: Type.Integer() },
  { title: '投递详情' },
);

export const CallQueue = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      channel: Type.String(),
      complaintId: Type.Integer(),
      reference: Type.String(),
      title: Type.String(),
      status: Type.String(),
      providerName: Type.String(),
      providerSlug: Type.String(),
      verified: Type.Boolean(),
      number: Nullable(Type.String()),
      script: Nullable(Type.String()),
      attempts: Type.Integer(),
      maxAttempts: Type.Integer(),
      lastError: Nullable(Type.String()),
      dueAt: Type.String({ format: 'date-time' }),
      due: Type.Boolean(),
      outcomes: Type.Array(Type.Object({ value: Type.String(), label: Type.String() })),
    }),
  ),
});
