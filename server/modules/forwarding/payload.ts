// What a provider receives. Built once, at approval, inside the approving transaction, and stored in the outbox row,
// so every retry sends the same thing. The consumer's contact details are included only with their consent.
import type { Complaint } from '../complaints/schema.ts';
import { CATEGORY_LABELS, DEMAND_LABELS, type Demand } from '../complaints/taxonomy.ts';
import type { Provider } from '../providers/schema.ts';
import { dueSentence, dueTimesOf, type DueTimes } from '../sla/view-model.ts';

export interface ComplaintForProvider {
  event: 'complaint.forwarded';
  id: number;
  reference: string;
  provider: string;
  category: string;
  categoryLabel: string;
  title: string;
  description: string;
  demands: string[];
  amountFen: number | null;
  incidentDate: string | null;
  transactionRef: string | null;
  attachments: { count: number; links: string[] };
  /** Where the provider's staff read and answer the complaint. */
  portalUrl: string;
  forwardedAt: string;
  /** The complaint's own deadlines as stored when its clocks started (ISO, UTC), and the hours that produced them. */
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstResponseHours: number | null;
  resolutionHours: number | null;
  /** Null unless the consumer agreed to share their contact details with the provider. */
  consumer: { name: string; email: string; phone: string | null } | null;
}

export interface DeliveryPayload {
  providerId: number;
  providerName: string;
  providerSlug: string;
  reference: string;
  hotline: string | null;
  complaint: ComplaintForProvider;
  /** hotline: what the operator says on the phone. */
  callScript?: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** The due times a payload carries; null for one stored before payloads carried them. */
function payloadDueTimes(c: ComplaintForProvider): DueTimes | null {
  if (!c.firstResponseDueAt || !c.resolutionDueAt || c.firstResponseHours == null || c.resolutionHours == null)
    return null;
  return {
    firstResponseDueAt: Date.parse(c.firstResponseDueAt),
    resolutionDueAt: Date.parse(c.resolutionDueAt),
    firstResponseHours: c.firstResponseHours,
    resolutionHours: c.resolutionHours,
  };
}

const dueLine = (c: ComplaintForProvider, lead: string) => {
  const d = payloadDueTimes(c);
  return d ? `${lead}在${dueSentence(d)}。` : `${lead}尽快首次回复并提出解决方案（时限见商家工作台）。`;
};

const yuan = (fen: number | null) => (fen === null ? '未填写' : `${(fen / 100).toFixed(2)} 元`);

/** What a provider receives of one complaint, from its fields (a stored row, or a form not yet filed). */
export interface ForwardedSource {
  id: number;
  reference: string;
  category: Complaint['category'];
  title: string;
  description: string;
  demands: string[];
  amountFen: number | null;
  incidentDate: string | null;
  transactionRef: string | null;
  contactPhone: string | null;
}

/** The payload from a complaint's fields: the one place that decides what a provider is sent. */
export function buildComplaintForProvider(
  c: ForwardedSource,
  o: {
    providerSlug: string;
    attachmentIds: number[];
    /** The consumer's name and e-mail, given only when they agreed to share their contact details. */
    sharedContact: { name: string; email: string } | null;
    due: DueTimes | null;
    publicUrl: string;
    now: number;
  },
): ComplaintForProvider {
  return {
    event: 'complaint.forwarded',
    id: c.id,
    reference: c.reference,
    provider: o.providerSlug,
    category: c.category,
    categoryLabel: CATEGORY_LABELS[c.category],
    title: c.title,
    description: c.description,
    demands: c.demands,
    amountFen: c.amountFen,
    incidentDate: c.incidentDate,
    transactionRef: c.transactionRef,
    attachments: {
      count: o.attachmentIds.length,
      links: o.attachmentIds.map((id) => `${o.publicUrl}/complaints/${c.id}/attachments/${id}`),
    },
    portalUrl: `${o.publicUrl}/merchant/complaints/${c.id}`,
    forwardedAt: new Date(o.now).toISOString(),
    firstResponseDueAt: iso(o.due?.firstResponseDueAt),
    resolutionDueAt: iso(o.due?.resolutionDueAt),
    firstResponseHours: o.due?.firstResponseHours ?? null,
    resolutionHours: o.due?.resolutionHours ?? null,
    consumer: o.sharedContact ? { ...o.sharedContact, phone: c.contactPhone } : null,
  };
}

/** Who the consumer is, for a complaint they agreed to share their contact details on (accounts' `get`). */
export type ContactOf = (userId: number) => { email: string; displayName: string; realName: string | null } | undefined;

/** The provider's view of a stored complaint (its row and file ids, read through `app.complaints.platform`). */
export function complaintForProvider(
  c: Complaint,
  attachmentIds: number[],
  contactOf: ContactOf,
  provider: Provider,
  publicUrl: string,
  now: number,
): ComplaintForProvider {
  const u = c.shareContact ? contactOf(c.userId) : undefined;
  return buildComplaintForProvider(c, {
    providerSlug: provider.slug,
    attachmentIds,
    sharedContact: u ? { name: u.realName ?? u.displayName, email: u.email } : null,
    due: dueTimesOf(c),
    publicUrl,
    now,
  });
}

export function callScript(
  p: { providerName: string; hotline: string | null; complaint: ComplaintForProvider },
  publicUrl: string,
): string {
  const c = p.complaint;
  return [
    `您好，这里是钱包投诉台，一个为数字钱包用户转交投诉的平台。我们收到一位用户对${p.providerName}的投诉，想转交给贵司处理。`,
    `投诉编号：${c.reference}（请记录）。类别：${c.categoryLabel}。标题：${c.title}。涉诉金额：${yuan(c.amountFen)}。`,
    `用户诉求：${c.demands.map((d) => DEMAND_LABELS[d as Demand] ?? d).join('、')}。`,
    dueLine(c, '平台规则：这件投诉请贵司'),
    `贵司可通过商家工作台 ${publicUrl}/merchant 查看详情并回复；如尚未开通账号，请告知负责投诉处理的部门邮箱，平台将为其开通。`,
    '请问贵司受理投诉的部门邮箱或接口联系人是？谢谢。',
  ].join('\n');
}

/** The complaint's fields as the provider reads them, in the e-mail's order (the filing form's review shows them too). */
export function forwardedFields(c: ComplaintForProvider): { label: string; value: string }[] {
  return [
    { label: '投诉编号', value: c.reference },
    { label: '类别', value: c.categoryLabel },
    { label: '标题', value: c.title },
    { label: '诉求', value: c.demands.map((d) => DEMAND_LABELS[d as Demand] ?? d).join('、') },
    { label: '涉诉金额', value: yuan(c.amountFen) },
    { label: '发生日期', value: c.incidentDate ?? '未填写' },
    { label: '交易单号', value: c.transactionRef ?? '未填写' },
  ];
}

/** Whether and how the provider may contact the consumer. */
export const contactLine = (c: ComplaintForProvider) =>
  c.consumer
    ? `用户联系方式（经用户同意提供）：${c.consumer.name}，${c.consumer.email}${c.consumer.phone ? `，${c.consumer.phone}` : ''}`
    : '用户未同意提供联系方式，请通过商家工作台回复。';

/** The e-mail a provider's complaints address receives. */
export function providerEmail(c: ComplaintForProvider, providerName: string): { subject: string; text: string } {
  const lines = [
    `${providerName} 投诉处理团队：`,
    '',
    dueLine(c, '钱包投诉台转交一件用户投诉，请'),
    '',
    ...forwardedFields(c).map((f) => `${f.label}：${f.value}`),
    '',
    '投诉内容：',
    c.description,
    '',
    `附件：${c.attachments.count} 个${c.attachments.count ? '（登录商家工作台查看）' : ''}`,
    contactLine(c),
    '',
    `查看与回复：${c.portalUrl}`,
  ];
  return { subject: `【钱包投诉台】新投诉 ${c.reference}：${c.title}`, text: lines.join('\n') };
}
