// Outbox rows and call tasks as admins see them (JSON and pages share these shapes).
import type { OutboxAttempt, OutboxRow, OutboxStatus } from '../outbox/schema.ts';
import { OUTBOX_STATUS_LABELS } from '../outbox/service.ts';
import { CHANNEL_LABELS, type DeliveryChannel } from './channels.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const TOPIC_LABELS: Record<string, string> = {
  delivery: '转交机构',
  email: '邮件通知',
  search_sync: '搜索索引同步',
  deadline_effects: '时限到期后续处理',
};

export function toOutboxView(r: OutboxRow) {
  return {
    id: r.id,
    topic: r.topic,
    topicLabel: TOPIC_LABELS[r.topic] ?? r.topic,
    channel: r.channel,
    channelLabel: r.channel ? (CHANNEL_LABELS[r.channel as DeliveryChannel] ?? r.channel) : null,
    complaintId: r.complaintId,
    status: r.status,
    statusText: OUTBOX_STATUS_LABELS[r.status],
    withOperator: r.status === 'sending' && r.claimedBy === 'operator',
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    nextAttemptAt: iso(r.nextAttemptAt),
    lastError: r.lastError,
    idempotencyKey: r.idempotencyKey,
    createdAt: iso(r.createdAt),
    doneAt: iso(r.doneAt),
    canRetry: r.status === 'dead' && r.purgedAt === null,
  };
}

export function toAttemptView(a: OutboxAttempt) {
  return { attempt: a.attempt, startedAt: iso(a.startedAt), finishedAt: iso(a.finishedAt), ok: a.ok, detail: a.detail };
}

export const STATUS_TABS: { value: OutboxStatus; label: string }[] = (
  ['dead', 'pending', 'sending', 'done'] as const
).map((value) => ({ value, label: OUTBOX_STATUS_LABELS[value] }));
