// Queue items for the admin page and JSON: the complaint as filed, its files and its provider (flagging unverified),
// and whether its consumer verified their e-mail address.
import type { Provider } from '../providers/schema.ts';
import type { Attachment, Complaint } from '../complaints/schema.ts';
import { CATEGORY_LABELS } from '../complaints/taxonomy.ts';
import { formatCount } from '../../lib/view-helpers.ts';

export function toQueueItem(c: Complaint, p: Provider, files: Attachment[], consumerEmailVerified: boolean) {
  return {
    id: c.id,
    reference: c.reference,
    title: c.title,
    description: c.description,
    category: c.category,
    categoryLabel: CATEGORY_LABELS[c.category],
    demands: c.demands,
    amountFen: c.amountFen,
    incidentDate: c.incidentDate,
    consent: c.consent,
    consumerEmailVerified,
    createdAt: new Date(c.createdAt).toISOString(),
    provider: { slug: p.slug, name: p.name, hotline: p.hotline, verified: p.verified },
    attachments: files.map((f) => ({
      id: f.id,
      name: f.originalName,
      mime: f.mime,
      sizeBytes: f.sizeBytes,
      url: `/complaints/${c.id}/attachments/${f.id}`,
    })),
  };
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** “约 3 小时” / “约 2 天” / “1 小时内”: a review wait in words. */
export function waitText(ms: number): string {
  if (ms < HOUR) return '1 小时内';
  if (ms < DAY) return `约 ${Math.round(ms / HOUR)} 小时`;
  return `约 ${Math.round(ms / DAY)} 天`;
}

/** What a consumer whose complaint waits for review is told: the queue now and the recent typical wait. */
export function moderationWaitLine(e: { queued: number; medianMs: number | null; decisions: number }): string {
  const queue = e.queued > 1 ? `目前共有 ${formatCount(e.queued)} 件投诉等待审核。` : '';
  if (e.medianMs === null || e.decisions < 5) return `${queue}平台会尽快审核，审核结果会发邮件通知你。`;
  return `${queue}最近 ${e.decisions} 件投诉从提交到审核完成的中位时间为${waitText(e.medianMs)}；审核结果会发邮件通知你。`;
}
