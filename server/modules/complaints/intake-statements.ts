// The intake's writes as statements prepared once: filing is the hottest write path, and building SQL per request
// (and preparing it) cost more than the commit itself. The inserts are drizzle's, with placeholders, so their columns
// and encodings (JSON demands, 0/1 flags) are the schema's own; the first timeline event goes through the timeline.
import { sql } from 'drizzle-orm';
import type { Db, Sqlite } from '../../db/database.ts';
import type { Actor } from '../../lib/ctx.ts';
import type { AttachmentMime } from './file-types.ts';
import { storedFields, type ComplaintInput } from './input.ts';
import { referenceAllocator } from './reference.ts';
import { attachments, complaints } from './schema.ts';
import type { Timeline } from './timeline.ts';

export interface NewComplaint extends ComplaintInput {
  consumer: Actor;
  providerId: number;
  submissionKey: string | null;
  now: number;
}

export function intakeStatements(db: Db, sqlite: Sqlite, timeline: Timeline) {
  const p = (name: string) => sql.placeholder(name);
  const priorId = sqlite.prepare('SELECT id FROM complaints WHERE user_id = ? AND submission_key = ?').pluck();
  // Merged names and the 其他机构 pseudo-provider are never filed against (providers/states.ts FILEABLE).
  const providerBySlug = sqlite
    .prepare("SELECT id FROM providers WHERE slug = ? AND status IN ('listed', 'pending', 'rejected')")
    .pluck();
  const providerByName = sqlite
    .prepare(
      "SELECT id FROM providers WHERE name = ? AND status IN ('listed', 'pending', 'rejected') ORDER BY status = 'listed' DESC, id LIMIT 1",
    )
    .pluck();
  const insertComplaint = db
    .insert(complaints)
    .values({
      reference: p('reference'),
      userId: p('userId'),
      providerId: p('providerId'),
      category: p('category'),
      title: p('title'),
      description: p('description'),
      demands: p('demands'),
      amountFen: p('amountFen'),
      incidentDate: p('incidentDate'),
      transactionRef: p('transactionRef'),
      contactPhone: p('contactPhone'),
      shareContact: p('shareContact'),
      consent: p('consent'),
      status: 'submitted',
      submissionKey: p('submissionKey'),
      createdAt: p('now'),
      updatedAt: p('now'),
    })
    .onConflictDoNothing()
    .prepare();
  const insertAttachment = db
    .insert(attachments)
    .values({
      complaintId: p('complaintId'),
      eventId: null,
      sha256: p('sha256'),
      mime: p('mime'),
      sizeBytes: p('size'),
      originalName: p('name'),
      createdAt: p('now'),
    })
    .prepare();
  const nextReference = referenceAllocator(sqlite);

  return {
    priorId: (userId: number, key: string) => priorId.get(userId, key) as number | undefined,

    /** Fast path for the usual case (a slug from the API, a name from the form's list); null sends it to full matching. */
    providerId: (text: string) =>
      (providerBySlug.get(text.trim()) ?? providerByName.get(text.trim()) ?? null) as number | null,

    /** Inserts the complaint and its first event; null when the same submission key already committed. */
    insert(
      c: NewComplaint,
      files: { sha256: string; mime: AttachmentMime; size: number; name: string }[],
    ): { id: number; reference: string } | null {
      const reference = nextReference(c.now);
      const res = insertComplaint.run({
        reference,
        userId: c.consumer.id,
        providerId: c.providerId,
        ...storedFields(c),
        submissionKey: c.submissionKey,
        now: c.now,
      });
      if (res.changes === 0) return null;
      const id = Number(res.lastInsertRowid);
      for (const f of files)
        insertAttachment.run({
          complaintId: id,
          sha256: f.sha256,
          mime: f.mime,
          size: f.size,
          name: f.name,
          now: c.now,
        });
      timeline.append({
        complaintId: id,
        type: 'submitted',
        actor: c.consumer,
        status: 'submitted',
        data: { attachments: files.length },
        at: c.now,
      });
      return { id, reference };
    },
  };
}
