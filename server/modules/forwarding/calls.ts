// The operator queue: hotline calls to make and provider contacts to research, each an outbox row held by
// 'operator'. Recording an outcome completes the delivery, or reschedules it (dead once its attempts are used up).
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Invalid, NotFound } from '../../lib/errors.ts';
import { Fields } from '../../lib/validate.ts';
import type { PlatformAccess } from '../complaints/platform.ts';
import type { Outbox } from '../outbox/plugin.ts';
import type { OutboxRow } from '../outbox/schema.ts';
import type { ProviderService } from '../providers/service.ts';
import { contactsOf, OPERATOR_CHANNELS, type DeliveryChannel } from './channels.ts';
import type { DeliveryPayload } from './payload.ts';

const HOUR = 3600_000;
/** An operator's next try after a dead end: tomorrow (a work rhythm, not a provider deadline). */
const DAY = 24 * HOUR;
export const CALL_OUTCOMES = {
  reached: { label: '接通并已告知', ok: true, retryInMs: 0 },
  no_answer: { label: '无人接听', ok: false, retryInMs: 2 * HOUR },
  wrong_number: { label: '号码错误', ok: false, retryInMs: DAY },
  other: { label: '其他', ok: false, retryInMs: 4 * HOUR },
} as const;
export const RESEARCH_OUTCOMES = {
  found: { label: '已补充联系方式', ok: true, retryInMs: 0 },
  not_found: { label: '暂未找到', ok: false, retryInMs: DAY },
  other: { label: '其他', ok: false, retryInMs: 4 * HOUR },
} as const;

const outcomesFor = (channel: DeliveryChannel) =>
  (channel === 'research' ? RESEARCH_OUTCOMES : CALL_OUTCOMES) as Record<
    string,
    { label: string; ok: boolean; retryInMs: number }
  >;

export interface CallTask {
  id: number;
  channel: DeliveryChannel;
  complaintId: number;
  reference: string;
  title: string;
  status: string;
  providerName: string;
  providerSlug: string;
  verified: boolean;
  number: string | null;
  script: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  dueAt: string;
  due: boolean;
  outcomes: { value: string; label: string }[];
}

export function callService(deps: { outbox: Outbox; providers: ProviderService; complaints: PlatformAccess }) {
  const requireAdmin = (ctx: Ctx) => {
    if (requireActor(ctx).role !== 'admin') throw new NotFound();
  };

  function toTask(row: OutboxRow, statusOf: Map<number, { title: string; status: string }>, now: number): CallTask {
    const p = row.payload as DeliveryPayload;
    const provider = deps.providers.byId(p.providerId);
    const channel = row.channel as DeliveryChannel;
    return {
      id: row.id,
      channel,
      complaintId: row.complaintId!,
      reference: p.reference,
      title: statusOf.get(row.complaintId!)?.title ?? p.complaint.title,
      status: statusOf.get(row.complaintId!)?.status ?? '',
      providerName: provider?.name ?? p.providerName,
      providerSlug: provider?.slug ?? p.providerSlug,
      verified: provider?.verified ?? false,
      number: provider?.hotline ?? p.hotline,
      script: p.callScript ?? null,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
      lastError: row.lastError,
      dueAt: new Date(row.nextAttemptAt).toISOString(),
      due: row.nextAttemptAt <= now,
      outcomes: Object.entries(outcomesFor(channel)).map(([value, o]) => ({ value, label: o.label })),
    };
  }

  return {
    /** Open tasks, those due now first. */
    queue(ctx: Ctx): CallTask[] {
      requireAdmin(ctx);
      const rows = deps.outbox.service.manualQueue([...OPERATOR_CHANNELS]);
      const ids = [...new Set(rows.map((r) => r.complaintId!))];
      const info = deps.complaints.summaries(ids);
      return rows.map((r) => toTask(r, info, ctx.clock.now()));
    },

    /** { outcome, note }: 'other' needs a note; 'found' needs the provider to have a contact now. */
    recordOutcome(ctx: Ctx, id: number, raw: Record<string, unknown>): OutboxRow {
      requireAdmin(ctx);
      const row = deps.outbox.service.get(ctx, id);
      const channel = row.channel as DeliveryChannel;
      if (!OPERATOR_CHANNELS.includes(channel)) throw new NotFound('找不到该任务');
      const outcomes = outcomesFor(channel);
      const f = new Fields(raw);
      const outcome = f.oneOf('outcome', '处理结果', Object.keys(outcomes), { required: true });
      const note = f.string('note', '备注', { max: 500, multiline: true });
      if (outcome === 'other' && !note) f.fail('note', '选择「其他」时请填写备注');
      f.done();
      const o = outcomes[outcome!]!;
      if (channel === 'research' && o.ok) {
        const providerId = (row.payload as DeliveryPayload).providerId;
        const provider = deps.providers.byId(providerId);
        const c = provider ? contactsOf(provider, deps.providers.channelsOf(providerId)) : null;
        if (!c || (!c.hotline && !c.email && !c.webhook))
          throw new Invalid({ outcome: '请先在机构资料中补充客服电话、投诉邮箱或 Webhook，再标记为已补充' });
      }
      const actor = requireActor(ctx);
      const detail = `${o.label}${note ? `：${note}` : ''}（操作人：${actor.displayName}）`;
      return deps.outbox.service.recordManualOutcome(ctx, id, { ok: o.ok, detail, retryInMs: o.retryInMs });
    },
  };
}

export type CallService = ReturnType<typeof callService>;
