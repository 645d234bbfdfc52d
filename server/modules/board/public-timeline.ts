// Which timeline events readers see, under which name, and whose words they carry. An allow-list: an event type the
// lifecycle adds later stays off the board until someone decides here that it belongs there.
import type { ComplaintEvent } from '../complaints/schema.ts';

export type PublicActor = 'consumer' | 'provider' | 'platform';

interface PublicEventRule {
  label: string;
  by: PublicActor;
  withBody: boolean;
}

export const PUBLIC_EVENTS: Readonly<Record<string, PublicEventRule>> = {
  submitted: { label: '消费者提交投诉', by: 'consumer', withBody: false },
  approve: { label: '平台审核通过，转交机构', by: 'platform', withBody: false },
  forwarded: { label: '已转交机构', by: 'platform', withBody: false },
  reply: { label: '机构回复', by: 'provider', withBody: true },
  request_info: { label: '机构请求补充信息', by: 'provider', withBody: true },
  propose_resolution: { label: '机构提出解决方案', by: 'provider', withBody: true },
  supplement: { label: '消费者补充说明', by: 'consumer', withBody: true },
  confirm: { label: '消费者确认已解决', by: 'consumer', withBody: true },
  dispute: { label: '消费者不认可方案', by: 'consumer', withBody: true },
  reopen: { label: '消费者重新打开投诉', by: 'consumer', withBody: true },
  close_unresolved: { label: '关闭（未解决）', by: 'platform', withBody: true },
  auto_close: { label: '消费者超时未确认，自动关闭', by: 'platform', withBody: false },
  first_response_breached: { label: '机构首次回复超时', by: 'platform', withBody: false },
  resolution_breached: { label: '机构解决超时', by: 'platform', withBody: false },
};

/** Events by the provider that count as its answer (first response, reply rate). */
export const PROVIDER_ANSWERS: readonly string[] = ['reply', 'request_info', 'propose_resolution'];
export const FORWARDING_EVENTS: readonly string[] = ['approve', 'forwarded'];
export const FIRST_RESPONSE_BREACH = 'first_response_breached';
export const RESOLUTION_BREACH = 'resolution_breached';

export const isPublicEvent = (e: ComplaintEvent): boolean => !e.internal && e.type in PUBLIC_EVENTS;

/** The first forwarding to the provider: when its clocks started. */
export const forwardedAt = (events: readonly ComplaintEvent[]): number | null =>
  events.find((e) => FORWARDING_EVENTS.includes(e.type))?.createdAt ?? null;

/** The provider's first answer after forwarding. */
export function firstAnswerAt(events: readonly ComplaintEvent[], since: number | null): number | null {
  if (since === null) return null;
  const e = events.find(
    (x) => PROVIDER_ANSWERS.includes(x.type) && x.actorRole === 'provider_staff' && x.createdAt >= since,
  );
  return e?.createdAt ?? null;
}

const REFUND_WORDS = /退款|退回|退还|返还|原路退|退费/;
const NO_REFUND = /(不予|无法|不能|拒绝|不会|不支持)(办理)?(退款|退回|退还|返还|退费)/;

/** A resolution gave money back when it records a refund amount, or says so in words (and not "no refund"). */
export function mentionsRefund(text: string | null, data: Record<string, unknown> | null | undefined): boolean {
  const amount = data?.refundFen;
  if (typeof amount === 'number' && amount > 0) return true;
  return !!text && REFUND_WORDS.test(text) && !NO_REFUND.test(text);
}

export interface Rating {
  attitude: number;
  speed: number;
  satisfaction: number;
}

export function ratingOf(e: ComplaintEvent | undefined): Rating | null {
  const r = e?.data?.rating as Partial<Rating> | undefined;
  if (!r || typeof r !== 'object') return null;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 5;
  return ok(r.attitude) && ok(r.speed) && ok(r.satisfaction)
    ? { attitude: r.attitude, speed: r.speed, satisfaction: r.satisfaction }
    : null;
}

/** Moderation events: internal (audit trail on the timeline), never shown on the board themselves. */
export const MODERATION_EVENTS = ['unpublish', 'republish', 'public_edit'] as const;
export type ModerationEvent = (typeof MODERATION_EVENTS)[number];
export const isModerationEvent = (t: unknown): t is ModerationEvent =>
  (MODERATION_EVENTS as readonly string[]).includes(t as string);

/** Taken down when the latest unpublish/republish is an unpublish. */
export function isTakenDown(events: readonly ComplaintEvent[]): boolean {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i].type === 'unpublish') return true;
    if (events[i].type === 'republish') return false;
  }
  return false;
}

/** The admins' corrected public texts, the latest per field ('title', 'description', 'event:<id>'). */
export function publicOverrides(events: readonly ComplaintEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) {
    if (e.type !== 'public_edit') continue;
    const field = e.data?.field;
    if (typeof field === 'string' && typeof e.body === 'string') out[field] = e.body;
  }
  return out;
}
