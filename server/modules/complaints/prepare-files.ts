// Received attachments made ready to store: every file's type checked by its content before any is kept, images
// rewritten without their metadata, then each moved into place under its content hash.
import { readFile, rm } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { Invalid, TooLarge } from '../../lib/errors.ts';
import type { ReceivedFile } from '../../plugins/uploads.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { cleanFileName, MalformedFile, sniffMime, stripMetadata, type AttachmentMime } from './file-types.ts';
import { attachments } from './schema.ts';

export type IncomingFile = ReceivedFile;
export interface UploadLimits { maxFileBytes: number; maxFiles: number }
export interface PreparedFile { sha256: string; mime: AttachmentMime; size: number; name: string; created: boolean }

export function checkFiles(files: IncomingFile[], limits: UploadLimits): void {
  if (files.length > limits.maxFiles) throw new TooLarge(`最多上传 ${limits.maxFiles} 个附件`, 'attachments', 'TOO_MANY_FILES');
  for (const f of files) {
    if (f.truncated || f.size > limits.maxFileBytes) {
      throw new TooLarge(`附件「${cleanFileName(f.filename)}」超过 ${Math.round(limits.maxFileBytes / 1024 / 1024)} MB`, 'attachments');
    }
  }
}

interface Staged { path: string; sha256: string; size: number; mime: AttachmentMime; name: string }

/** One file ready to adopt: PDFs as received (hashed while they streamed in); images stripped into a new temporary. */
async function stage(store: AttachmentStore, f: IncomingFile, name: string, mime: AttachmentMime): Promise<Staged> {
  if (mime === 'application/pdf') return { path: f.path, sha256: f.sha256, size: f.size, mime, name };
  // An image is rewritten whole: at most UPLOAD_MAX_BYTES, one at a time, for a request that passed every guard.
  const bytes = await readFile(f.path);
  let clean: Buffer;
  try {
    clean = stripMetadata(bytes, mime);
  } catch (err) {
    if (err instanceof MalformedFile) throw new Invalid({ attachments: `附件「${name}」文件已损坏，无法读取` }, 'UNSUPPORTED_FILE');
    throw err;
  }
  const { path, sha256 } = await store.stage(clean);
  return { path, sha256, size: clean.length, mime, name };
}

export async function prepareFiles(store: AttachmentStore, files: IncomingFile[], limits: UploadLimits): Promise<PreparedFile[]> {
  checkFiles(files, limits);
  const typed = files.filter((f) => f.size > 0).map((f) => {
    const name = cleanFileName(f.filename);
    const mime = sniffMime(f.head);
    if (!mime) throw new Invalid({ attachments: `附件「${name}」不是支持的格式：只接受 JPEG、PNG、WebP 图片和 PDF 文件` }, 'UNSUPPORTED_FILE');
    return { f, name, mime };
  });
  const staged: Staged[] = [];
  try {
    for (const t of typed) staged.push(await stage(store, t.f, t.name, t.mime));
    const prepared: PreparedFile[] = [];
    for (const s of staged) {
      const { created } = await store.adopt(s.path, s.sha256);
      prepared.push({ sha256: s.sha256, mime: s.mime, size: s.size, name: s.name, created });
    }
    return prepared;
  } finally {
    // Adopted files are no longer at their temporary path; whatever is still there was never kept.
    await Promise.all(staged.map((s) => rm(s.path, { force: true })));
  }
}

/** Files this request stored that no row points at (its transaction failed, or lost a race) are removed again. */
export async function removeUnreferenced(db: Db, store: AttachmentStore, prepared: readonly PreparedFile[]): Promise<void> {
  for (const p of prepared.filter((x) => x.created)) {
    if (!db.select({ id: attachments.id }).from(attachments).where(eq(attachments.sha256, p.sha256)).get()) await store.remove(p.sha256);
  }
}
