// Filing a complaint: files are checked, cleaned and written first, then the complaint, its files and its first
// timeline event commit together. A double submit with the same key returns the first complaint.
import { eq, sql } from 'drizzle-orm';
import type { Db, Sqlite } from '../../db/database.ts';
import type { GroupCommit } from '../../db/group-commit.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Forbidden, Invalid, TooLarge } from '../../lib/errors.ts';
import type { ProviderService } from '../providers/service.ts';
import type { AttachmentStore } from './attachment-store.ts';
import type { ComplaintHooks } from './hooks.ts';
import { cleanFileName, MalformedFile, sniffMime, stripMetadata, type AttachmentMime } from './file-types.ts';
import type { ComplaintInput } from './input.ts';
import { intakeStatements } from './intake-statements.ts';
import { complaints } from './schema.ts';

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

export interface IntakeDeps { db: Db; sqlite: Sqlite; groupCommit: GroupCommit; providers: ProviderService; store: AttachmentStore; limits: UploadLimits; hooks: ComplaintHooks }
export interface FiledComplaint { id: number; reference: string; status: 'submitted' }

export function intake(deps: IntakeDeps) {
  const st = intakeStatements(deps.sqlite);

  const prior = (userId: number, key: string | null): FiledComplaint | null => {
    const id = key ? st.priorId(userId, key) : undefined;
    if (id === undefined) return null;
    const row = deps.db.select({ reference: complaints.reference }).from(complaints).where(eq(complaints.id, id)).get()!;
    return { id, reference: row.reference, status: 'submitted' };
  };

  /** Files a complaint; a repeated submission key returns the first complaint instead of making a second. */
  return async function fileComplaint(ctx: Ctx, input: ComplaintInput, files: IncomingFile[], submissionKey: string | null): Promise<{ complaint: FiledComplaint; duplicate: boolean }> {
    const actor = requireActor(ctx);
    if (actor.role !== 'consumer') throw new Forbidden('只有消费者账户可以提交投诉');
    const earlier = prior(actor.id, submissionKey);
    if (earlier) return { complaint: earlier, duplicate: true };
    const prepared = await prepareFiles(deps.store, files, deps.limits);
    try {
      // Concurrent filings share one COMMIT; each is answered only once it is durable.
      const filed = await deps.groupCommit.run(() => {
        const now = ctx.clock.now();
        const providerId = st.providerId(input.provider) ?? deps.providers.resolveOrCreate(ctx, input.provider).id;
        const row = st.insert({ ...input, userId: actor.id, providerId, submissionKey, now }, prepared);
        if (row) deps.hooks.run(deps.db, ctx, { complaintId: row.id, event: 'submitted', from: null, to: 'submitted' });
        return row;
      });
      if (filed) return { complaint: { ...filed, status: 'submitted' }, duplicate: false };
      // The same key committed between our check and the insert (a double click racing itself).
      await removeUnreferenced(deps, prepared);
      return { complaint: prior(actor.id, submissionKey)!, duplicate: true };
    } catch (err) {
      await removeUnreferenced(deps, prepared);
      throw err;
    }
  };
}

/** Files this request created that no row points at are removed, so a failed commit leaves nothing behind. */
async function removeUnreferenced(deps: IntakeDeps, prepared: PreparedFile[]): Promise<void> {
  for (const p of prepared.filter((x) => x.created)) {
    const used = deps.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM attachments WHERE sha256 = ${p.sha256}`);
    if (!used.n) await deps.store.remove(p.sha256);
  }
}
