// Received attachments made ready to store: every file's type checked by its content before any is kept, images
// decoded and encoded again (metadata gone, orientation applied, pixel count capped), then each moved into place
// under its content hash.
import { rm } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { Invalid, TooLarge } from '../../lib/errors.ts';
import { sizeLimitText } from '../../lib/sizes.ts';
import type { ReceivedFile } from '../../plugins/uploads.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { cleanFileName, detectMime, type AttachmentMime } from './file-types.ts';
import { ImageTooLarge, reencodeImage, UnreadableImage } from './image-clean.ts';
import { attachments } from './schema.ts';

export type IncomingFile = ReceivedFile;
/** maxPixels: the largest width × height an image may decode to (UPLOAD_MAX_PIXELS). */
export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxPixels: number;
}
export interface PreparedFile {
  sha256: string;
  mime: AttachmentMime;
  size: number;
  name: string;
  created: boolean;
}

export function checkFiles(files: IncomingFile[], limits: UploadLimits): void {
  if (files.length > limits.maxFiles)
    throw new TooLarge(`最多上传 ${limits.maxFiles} 个附件`, 'attachments', 'TOO_MANY_FILES');
  for (const f of files) {
    if (f.truncated || f.size > limits.maxFileBytes) {
      throw new TooLarge(
        `附件「${cleanFileName(f.filename)}」超过 ${sizeLimitText(limits.maxFileBytes)}`,
        'attachments',
      );
    }
  }
}

export interface Staged {
  path: string;
  sha256: string;
  size: number;
  mime: AttachmentMime;
  name: string;
}

const pixelCount = (n: number) => (n >= 10_000 ? `${Math.round(n / 100) / 100} 万` : String(n));

/** One file ready to adopt: PDFs as received (hashed while they streamed in); images re-encoded into a new temporary. */
async function stage(
  store: AttachmentStore,
  f: IncomingFile,
  name: string,
  mime: AttachmentMime,
  limits: UploadLimits,
): Promise<Staged> {
  if (mime === 'application/pdf') return { path: f.path, sha256: f.sha256, size: f.size, mime, name };
  try {
    const { path, sha256, size } = await store.stageWith((dest) => reencodeImage(f.path, dest, mime, limits.maxPixels));
    return { path, sha256, size, mime, name };
  } catch (err) {
    if (err instanceof ImageTooLarge) {
      throw new TooLarge(
        `附件「${name}」图片尺寸过大（${err.width}×${err.height} 像素），每张图片最多 ${pixelCount(limits.maxPixels)} 像素`,
        'attachments',
        'IMAGE_TOO_LARGE',
      );
    }
    if (err instanceof UnreadableImage)
      throw new Invalid({ attachments: `附件「${name}」文件已损坏，无法读取` }, 'UNSUPPORTED_FILE');
    throw err;
  }
}

const unsupported = (name: string) =>
  new Invalid(
    { attachments: `附件「${name}」不是支持的格式：只接受 JPEG、PNG、WebP 图片和 PDF 文件` },
    'UNSUPPORTED_FILE',
  );

/** One received file checked (its size, its type by content) and staged (images re-encoded); errors name the file. */
export async function stageChecked(store: AttachmentStore, f: IncomingFile, limits: UploadLimits): Promise<Staged> {
  const name = cleanFileName(f.filename);
  if (f.truncated || f.size > limits.maxFileBytes)
    throw new TooLarge(`附件「${name}」超过 ${sizeLimitText(limits.maxFileBytes)}`, 'attachments');
  const mime = await detectMime(f.path);
  if (!mime) throw unsupported(name);
  return stage(store, f, name, mime, limits);
}

export async function prepareFiles(
  store: AttachmentStore,
  files: IncomingFile[],
  limits: UploadLimits,
): Promise<PreparedFile[]> {
  checkFiles(files, limits);
  const typed: { f: IncomingFile; name: string; mime: AttachmentMime }[] = [];
  for (const f of files.filter((x) => x.size > 0)) {
    const name = cleanFileName(f.filename);
    const mime = await detectMime(f.path);
    if (!mime) throw unsupported(name);
    typed.push({ f, name, mime });
  }
  const staged: Staged[] = [];
  try {
    // One image at a time per request: the decoded pixels, not the bytes on the wire, are what costs memory.
    for (const t of typed) staged.push(await stage(store, t.f, t.name, t.mime, limits));
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
export async function removeUnreferenced(
  db: Db,
  store: AttachmentStore,
  prepared: readonly PreparedFile[],
): Promise<void> {
  for (const p of prepared.filter((x) => x.created)) {
    if (!db.select({ id: attachments.id }).from(attachments).where(eq(attachments.sha256, p.sha256)).get())
      await store.remove(p.sha256);
  }
}
