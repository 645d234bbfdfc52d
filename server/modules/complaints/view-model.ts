// The private (owner, provider staff, admin) view of a complaint, for JSON and pages alike.
import type { Actor } from '../../lib/ctx.ts';
import type { Provider } from '../providers/schema.ts';
import { isOverdue } from '../sla/deadlines.ts';
import { toDeadlinesView } from '../sla/view-model.ts';
import { STATUS_LABELS } from './states.ts';
import { CATEGORY_LABELS } from './taxonomy.ts';
import type { Attachment, Complaint, ComplaintEvent } from './schema.ts';
import { toDeliveryViews } from '../forwarding/deliveries.ts';
import type { OutboxRow } from '../outbox/schema.ts';

const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

export const EVENT_LABELS: Record<string, string> = {
  submitted: '提交投诉',
  approve: '审核通过',
  reject: '审核未通过',
  resubmit: '修改后重新提交',
  forwarded: '已转交',
  reply: '商家回复',
  request_info: '商家请求补充信息',
  propose_resolution: '商家提出解决方案',
  note: '内部备注',
  supplement: '消费者补充',
  confirm: '消费者确认解决',
  dispute: '消费者不认可',
  withdraw: '撤诉',
  reopen: '重新打开',
  close_unresolved: '关闭（未解决）',
  auto_close: '超时未确认，自动关闭',
  first_response_warning: '首次回复即将超时',
  resolution_warning: '解决时限即将超时',
  first_response_breached: '首次回复超时',
  resolution_breached: '解决超时',
  unpublish: '撤下公开',
  republish: '重新公开',
  delivery: '转交记录',
};

export function toComplaintSummary(c: Complaint, p: Provider) {
  return {
    id: c.id,
    reference: c.reference,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status],
    title: c.title,
    category: c.category,
    provider: { slug: p.slug, name: p.name, hotline: p.hotline },
    amountFen: c.amountFen,
    overdue: isOverdue(c),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function toComplaintView(
  d: {
    complaint: Complaint;
    provider: Provider;
    events: ComplaintEvent[];
    files: Attachment[];
    deliveries?: OutboxRow[];
  },
  actor: Actor,
) {
  const c = d.complaint;
  const staffEvents = new Set(d.events.filter((e) => e.actorRole === 'provider_staff').map((e) => e.id));
  return {
    ...toComplaintSummary(c, d.provider),
    provider: {
      slug: d.provider.slug,
      name: d.provider.name,
      hotline: d.provider.hotline,
      verified: d.provider.verified,
    },
    categoryLabel: CATEGORY_LABELS[c.category],
    description: c.description,
    demands: c.demands,
    incidentDate: c.incidentDate,
    transactionRef: c.transactionRef,
    consent: c.consent,
    // Contact details reach staff only when the consumer agreed to share them.
    contactPhone: actor.role !== 'provider_staff' || c.shareContact ? c.contactPhone : null,
    shareContact: c.shareContact,
    timeline: d.events.map((e) => ({
      id: e.id,
      type: e.type,
      label: EVENT_LABELS[e.type] ?? e.type,
      actorRole: e.actorRole,
      body: e.body,
      status: e.status,
      data: e.data,
      internal: e.internal,
      at: iso(e.createdAt),
    })),
    attachments: d.files.map((f) => ({
      id: f.id,
      name: f.originalName,
      mime: f.mime,
      sizeBytes: f.sizeBytes,
      url: `/complaints/${c.id}/attachments/${f.id}`,
      from: f.eventId !== null && staffEvents.has(f.eventId) ? ('provider' as const) : ('consumer' as const),
    })),
    deadlines: toDeadlinesView(c),
    deliveries: toDeliveryViews(d.deliveries ?? [], actor),
  };
}
