// Reading a lifecycle event from JSON or a form: {type, body?, reason?, rating?}, after its schema (schemas.ts
// EventBody: the type, text caps, ratings 1-5) has passed. Here: what each event type requires, and text normalised.
// Each problem is named beside its field, in Chinese.
import { Fields } from '../../lib/validate.ts';
import { Invalid } from '../../lib/errors.ts';
import { ACTOR_EVENTS, isActorEvent, type ActorEvent } from './states.ts';

export interface Rating {
  attitude: number;
  speed: number;
  satisfaction: number;
}
export interface EventInput {
  type: ActorEvent;
  body: string | null;
  reason: string | null;
  rating: Rating | null;
}

export const RATING_LABELS: Record<keyof Rating, string> = {
  attitude: '服务态度',
  speed: '处理速度',
  satisfaction: '满意度',
};
export const BODY_MAX = 2000;
export const REASON_MAX = 500;

/** The service's own guard (lifecycle.act is a verb, callable without the HTTP edge); the schema says it first. */
export function readEventType(raw: Record<string, unknown>): ActorEvent {
  const type = raw.type;
  if (type === undefined || type === null || type === '') throw new Invalid({ type: '请指定操作类型' });
  if (!isActorEvent(type)) throw new Invalid({ type: `不支持的操作类型（可选：${ACTOR_EVENTS.join('、')}）` });
  return type;
}

/** Which text each event needs, and what to call it when it is missing. */
const BODY_RULES: Partial<Record<ActorEvent, { label: string; required: boolean }>> = {
  reply: { label: '回复内容', required: true },
  request_info: { label: '需要补充的信息', required: true },
  propose_resolution: { label: '解决方案', required: true },
  note: { label: '备注内容', required: true },
  supplement: { label: '补充内容', required: true },
  dispute: { label: '不认可的原因', required: true },
  confirm: { label: '评价', required: false },
  withdraw: { label: '撤诉原因', required: false },
  reopen: { label: '重新打开的原因', required: false },
};

/**
 * A confirmation needs all three scores. Their range is the schema's (forms' rating.x fields are folded first); the
 * last line only keeps a verb called without the HTTP edge from recording a score outside 1-5.
 */
function readRating(f: Fields, raw: Record<string, unknown>): Rating | null {
  const nested =
    raw.rating && typeof raw.rating === 'object' && !Array.isArray(raw.rating)
      ? (raw.rating as Record<string, unknown>)
      : {};
  const out: Partial<Rating> = {};
  for (const key of Object.keys(RATING_LABELS) as (keyof Rating)[]) {
    const v = nested[key];
    if (v === undefined || v === null || v === '')
      f.fail(`rating.${key}`, `请为「${RATING_LABELS[key]}」打分（1-5 分）`);
    else if (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5) out[key] = v as number;
    else f.fail(`rating.${key}`, `「${RATING_LABELS[key]}」的评分应为 1 到 5 的整数`);
  }
  return Object.keys(out).length === 3 ? (out as Rating) : null;
}

/** The fields of one event type. `hasFiles`: a supplement may be files alone. */
export function readEventFields(type: ActorEvent, raw: Record<string, unknown>, hasFiles = false): EventInput {
  const f = new Fields(raw);
  const rule = BODY_RULES[type];
  let body: string | null = null;
  if (rule) {
    const required = rule.required && !(type === 'supplement' && hasFiles);
    body = f.string('body', rule.label, { required, max: type === 'confirm' ? 1000 : BODY_MAX, multiline: true });
  }
  let reason: string | null = null;
  if (type === 'reject' || type === 'close_unresolved') {
    reason = f.string('reason', type === 'reject' ? '未通过的原因' : '关闭原因', {
      required: type === 'reject',
      max: REASON_MAX,
      multiline: true,
    });
  }
  const rating = type === 'confirm' ? readRating(f, raw) : null;
  f.done();
  return { type, body, reason, rating };
}
