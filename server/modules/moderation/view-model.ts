// Queue items for the admin page and JSON: the complaint as filed, its files and its provider (flagging unverified),
// and whether its consumer verified their e-mail address.
import type { Provider } from '../providers/schema.ts';
import type { Attachment, Complaint } from '../complaints/schema.ts';
import { CATEGORY_LABELS } from '../complaints/taxonomy.ts';

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
