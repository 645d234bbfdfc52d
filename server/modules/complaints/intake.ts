// Filing a complaint: files are checked, cleaned and written first, then the complaint, its files and its first
// timeline event commit together. A double submit with the same key returns the first complaint.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Forbidden, Invalid, TooLarge } from '../../lib/errors.ts';
import type { ProviderService } from '../providers/service.ts';
import type { AttachmentStore } from './attachment-store.ts';
import type { ComplaintHooks } from './hooks.ts';
import { cleanFileName, MalformedFile, sniffMime, stripMetadata, type AttachmentMime } from './file-types.ts';
import type { ComplaintInput } from './input.ts';
import { nextReference } from './reference.ts';
import { attachments, complaintEvents, complaints, type Complaint } from './schema.ts';

export interface IncomingFile { filename: string | undefined; data: Buffer }
export interface UploadLimits { maxFileBytes: number; maxFiles: number }
interface PreparedFile { sha256: string; mime: AttachmentMime; size: number; name: string; created: boolean }

export function checkFiles(files: IncomingFile[], limits: UploadLimits): void {
  if (files.length > limits.maxFiles) throw new TooLarge(`最多上传 ${limits.maxFiles} 个附件`, 'attachments');
  for (const f of files) {
    if (f.data.length > limits.maxFileBytes) {
      throw new TooLarge(`附件「${cleanFileName(f.filename)}」超过 ${Math.round(limits.maxFileBytes / 1024 / 1024)} MB`, 'attachments');
    }
  }
}

export async function prepareFiles(store: AttachmentStore, files: IncomingFile[], limits: UploadLimits): Promise<PreparedFile[]> {
  checkFiles(files, limits);
  const checked = files.filter((f) => f.data.length > 0).map((f) => {
    const name = cleanFileName(f.filename);
    const mime = sniffMime(f.data);
    if (!mime) throw new Invalid({ attachments: `附件「${name}」不是支持的格式：只接受 JPEG、PNG、WebP 图片和 PDF 文件` }, 'UNSUPPORTED_FILE');
    try {
      return { name, mime, bytes: stripMetadata(f.data, mime) };
    } catch (err) {
      if (err instanceof MalformedFile) throw new Invalid({ attachments: `附件「${name}」文件已损坏，无法读取` }, 'UNSUPPORTED_FILE');
      throw err;
    }
  });
  const prepared: PreparedFile[] = [];
  for (const c of checked) {
    const { sha256, created } = await store.put(c.bytes);
    prepared.push({ sha256, mime: c.mime, size: c.bytes.length, name: c.name, created });
  }
  return prepared;
}

export interface IntakeDeps { db: Db; providers: ProviderService; store: AttachmentStore; limits: UploadLimits; hooks: ComplaintHooks }

export async function fileComplaint(deps: IntakeDeps, ctx: Ctx, input: ComplaintInput, files: IncomingFile[], submissionKey: string | null): Promise<{ complaint: Complaint; duplicate: boolean }> {
  const actor = requireActor(ctx);
  if (actor.role !== 'consumer') throw new Forbidden('只有消费者账户可以提交投诉');
  const { db } = deps;
  if (submissionKey) {
    const prior = db.select().from(complaints).where(and(eq(complaints.userId, actor.id), eq(complaints.submissionKey, submissionKey))).get();
    if (prior) return { complaint: prior, duplicate: true };
  }
  const prepared = await prepareFiles(deps.store, files, deps.limits);
  try {
    const complaint = db.transaction((tx) => {
      const now = ctx.clock.now();
      const provider = deps.providers.resolveOrCreate({ ...ctx, tx }, input.provider);
      const row = tx.insert(complaints).values({
        reference: nextReference(tx, now), userId: actor.id, providerId: provider.id, category: input.category,
        title: input.title, description: input.description, demands: input.demands, amountFen: input.amountFen,
        incidentDate: input.incidentDate, transactionRef: input.transactionRef, contactPhone: input.contactPhone,
        shareContact: input.shareContact, consent: input.consent, status: 'submitted', submissionKey,
        createdAt: now, updatedAt: now,
      }).onConflictDoNothing().returning().get();
      if (!row) return null; // the same key committed between our check and this insert
      for (const p of prepared) {
        tx.insert(attachments).values({ complaintId: row.id, eventId: null, sha256: p.sha256, mime: p.mime, sizeBytes: p.size, originalName: p.name, createdAt: now }).run();
      }
      tx.insert(complaintEvents).values({ complaintId: row.id, type: 'submitted', actorRole: 'consumer', actorId: actor.id, status: 'submitted', createdAt: now,
        data: { attachments: prepared.length } }).run();
      deps.hooks.run(tx, ctx, { complaintId: row.id, event: 'submitted', from: null, to: 'submitted' });
      return row;
    });
    if (!complaint) {
      await removeUnreferenced(deps, prepared);
      const prior = db.select().from(complaints).where(and(eq(complaints.userId, actor.id), eq(complaints.submissionKey, submissionKey!))).get()!;
      return { complaint: prior, duplicate: true };
    }
    return { complaint, duplicate: false };
  } catch (err) {
    await removeUnreferenced(deps, prepared);
    throw err;
  }
}

/** Files this request created that no row points at are removed, so a failed commit leaves nothing behind. */
async function removeUnreferenced(deps: IntakeDeps, prepared: PreparedFile[]): Promise<void> {
  for (const p of prepared.filter((x) => x.created)) {
    const used = deps.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM attachments WHERE sha256 = ${p.sha256}`);
    if (!used.n) await deps.store.remove(p.sha256);
  }
}
