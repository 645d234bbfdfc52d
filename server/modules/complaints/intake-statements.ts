// The intake's writes as statements prepared once: filing is the hottest write path, and building SQL per request
// (and preparing it) cost more than the commit itself. Column lists mirror complaints/schema.ts.
import type { Sqlite } from '../../db/database.ts';
import type { AttachmentMime } from './file-types.ts';
import type { ComplaintInput } from './input.ts';
import { referenceAllocator } from './reference.ts';

export interface NewComplaint extends ComplaintInput {
  userId: number; providerId: number; submissionKey: string | null; now: number;
}

export function intakeStatements(sqlite: Sqlite) {
  const priorId = sqlite.prepare('SELECT id FROM complaints WHERE user_id = ? AND submission_key = ?').pluck();
  // Merged names and the 其他机构 pseudo-provider are never filed against (providers/states.ts FILEABLE).
  const providerBySlug = sqlite.prepare("SELECT id FROM providers WHERE slug = ? AND status IN ('listed', 'pending', 'rejected')").pluck();
  const providerByName = sqlite.prepare("SELECT id FROM providers WHERE name = ? AND status IN ('listed', 'pending', 'rejected') ORDER BY status = 'listed' DESC, id LIMIT 1").pluck();
  const insertComplaint = sqlite.prepare(`INSERT INTO complaints (reference, user_id, provider_id, category, title, description,
    demands, amount_fen, incident_date, transaction_ref, contact_phone, share_contact, consent, status, submission_key, created_at, updated_at)
    VALUES (@reference, @userId, @providerId, @category, @title, @description, @demands, @amountFen, @incidentDate, @transactionRef,
    @contactPhone, @shareContact, @consent, 'submitted', @submissionKey, @now, @now) ON CONFLICT DO NOTHING`);
  const insertAttachment = sqlite.prepare(`INSERT INTO attachments (complaint_id, event_id, sha256, mime, size_bytes, original_name, created_at)
    VALUES (?, NULL, ?, ?, ?, ?, ?)`);
  const insertEvent = sqlite.prepare(`INSERT INTO complaint_events (complaint_id, type, actor_role, actor_id, status, data, internal, created_at)
    VALUES (?, 'submitted', 'consumer', ?, 'submitted', ?, 0, ?)`);
  const nextReference = referenceAllocator(sqlite);

  return {
    priorId: (userId: number, key: string) => priorId.get(userId, key) as number | undefined,

    /** Fast path for the usual case (a slug from the API, a name from the form's list); null sends it to full matching. */
    providerId: (text: string) => (providerBySlug.get(text.trim()) ?? providerByName.get(text.trim()) ?? null) as number | null,

    /** Inserts the complaint and its first event; null when the same submission key already committed. */
    insert(c: NewComplaint, files: { sha256: string; mime: AttachmentMime; size: number; name: string }[]): { id: number; reference: string } | null {
      const reference = nextReference(c.now);
      const res = insertComplaint.run({
        reference, userId: c.userId, providerId: c.providerId, category: c.category, title: c.title, description: c.description,
        demands: JSON.stringify(c.demands), amountFen: c.amountFen, incidentDate: c.incidentDate, transactionRef: c.transactionRef,
        contactPhone: c.contactPhone, shareContact: c.shareContact ? 1 : 0, consent: c.consent, submissionKey: c.submissionKey, now: c.now,
      });
      if (res.changes === 0) return null;
      const id = Number(res.lastInsertRowid);
      for (const f of files) insertAttachment.run(id, f.sha256, f.mime, f.size, f.name, c.now);
      insertEvent.run(id, c.userId, JSON.stringify({ attachments: files.length }), c.now);
      return { id, reference };
    },
  };
}
