// Files chosen on a filing form that came back (an error, the review step) are kept as pending uploads: checked and
// cleaned like any attachment, held under the upload folder's pending/ for this consumer and this form (its
// submission key), and named on the re-rendered form by a signed reference. The reference binds the consumer, the form
// and the file (hash, type, size, name), so a forged one, or one from another consumer or form, is refused. Held files
// not filed within a day are swept.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, TooLarge } from '../../lib/errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { PRIVATE_DIR } from '../../lib/data-dir.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { cleanFileName, EXTENSIONS, type AttachmentMime } from './file-types.ts';
import { stageChecked, type IncomingFile, type UploadLimits } from './prepare-files.ts';

/** A held file as the form names it: `ref` is what the form sends back. */
export interface HeldFile {
  sha256: string;
  mime: AttachmentMime;
  size: number;
  name: string;
  ref: string;
  path: string;
}

export interface HoldResult {
  files: HeldFile[];
  /** What was refused, one sentence per file, for the attachments field. */
  problems: string[];
  /** A file over the size cap was among the refused. */
  tooLarge: boolean;
}

/** Files held for an unfinished form are kept a day (a day unit, not a deadline). */
const DAY_MS = 24 * 3600_000;
export const PENDING_MAX_AGE_MS = DAY_MS;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const isMime = (m: unknown): m is AttachmentMime => typeof m === 'string' && Object.hasOwn(EXTENSIONS, m);

export class PendingUploads {
  private readonly dir: string;

  constructor(
    uploadDir: string,
    private readonly secret: string,
    private readonly store: AttachmentStore,
    private readonly clock: Clock,
  ) {
    // Made by the first file held (mkdir -p in hold), so an upload folder that never held one stays as it was.
    this.dir = join(uploadDir, 'pending');
  }

  /** One folder per consumer and form; its name says neither. */
  private folder(userId: number, key: string): string {
    return join(this.dir, createHash('sha256').update(`${userId}\n${key}`).digest('hex').slice(0, 32));
  }

  private mac(userId: number, key: string, payload: string): Buffer {
    return createHmac('sha256', this.secret).update(`pending-upload\n${userId}\n${key}\n${payload}`).digest();
  }

  private sign(userId: number, key: string, f: Omit<HeldFile, 'ref' | 'path'>): string {
    const payload = b64(JSON.stringify([f.sha256, f.mime, f.size, f.name]));
    return `${payload}.${this.mac(userId, key, payload).toString('base64url')}`;
  }

  /** The held file a reference names, if it was signed for this consumer and form and is still held; null otherwise. */
  private open(userId: number, key: string, ref: unknown): HeldFile | null {
    if (typeof ref !== 'string' || ref.length > 2000) return null;
    const [payload, sig, extra] = ref.split('.');
    if (!payload || !sig || extra !== undefined) return null;
    const want = this.mac(userId, key, payload);
    const got = Buffer.from(sig, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) return null;
    const [sha256, mime, size, name] = parsed as unknown[];
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256) || !isMime(mime)) return null;
    if (typeof size !== 'number' || typeof name !== 'string') return null;
    return { sha256, mime, size, name, ref, path: join(this.folder(userId, key), sha256) };
  }

  /**
   * The files a form sends back as kept, checked: a reference that is not this consumer's and this form's is refused
   * (TAMPERED), one whose file has been swept is reported so the consumer chooses it again. Kept files are touched, so
   * a form in use does not expire under its author.
   */
  async reopen(userId: number, key: string, refs: unknown[]): Promise<HoldResult> {
    const files: HeldFile[] = [];
    const problems: string[] = [];
    for (const ref of refs) {
      const f = this.open(userId, key, ref);
      if (!f) {
        problems.push('保留的附件无法核对（页面可能已过期或被改动），请重新选择文件');
        continue;
      }
      if (files.some((x) => x.sha256 === f.sha256)) continue;
      if (!existsSync(f.path)) {
        problems.push(`保留的附件「${f.name}」已过期，请重新选择`);
        continue;
      }
      const now = this.clock.now() / 1000;
      await utimes(f.path, now, now);
      files.push(f);
    }
    return { files, problems: [...new Set(problems)], tooLarge: false };
  }

  /**
   * Checks and cleans newly received files and holds those that pass, up to the form's remaining room; the others are
   * reported by name, so every problem with the files shows together with the other fields' problems.
   */
  async hold(
    userId: number,
    key: string,
    received: IncomingFile[],
    limits: UploadLimits,
    alreadyKept: HeldFile[],
  ): Promise<HoldResult> {
    const files: HeldFile[] = [];
    const problems: string[] = [];
    let tooLarge = false;
    const folder = this.folder(userId, key);
    for (const f of received.filter((x) => x.size > 0 || x.truncated)) {
      if (alreadyKept.length + files.length >= limits.maxFiles) {
        problems.push(`最多上传 ${limits.maxFiles} 个附件，「${cleanFileName(f.filename)}」未保留`);
        continue;
      }
      try {
        const s = await stageChecked(this.store, f, limits);
        if ([...alreadyKept, ...files].some((x) => x.sha256 === s.sha256)) {
          if (s.path !== f.path) await rm(s.path, { force: true });
          continue;
        }
        await mkdir(folder, { recursive: true, mode: PRIVATE_DIR });
        const path = join(folder, s.sha256);
        await rename(s.path, path);
        const now = this.clock.now() / 1000;
        await utimes(path, now, now);
        const held = { sha256: s.sha256, mime: s.mime, size: s.size, name: s.name };
        files.push({ ...held, ref: this.sign(userId, key, held), path });
      } catch (err) {
        if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
        if (err instanceof TooLarge) tooLarge = true;
        problems.push(err.message);
      }
    }
    return { files, problems, tooLarge };
  }

  /** The form is done (filed, or filed before): its held files go. */
  async release(userId: number, key: string): Promise<void> {
    await rm(this.folder(userId, key), { recursive: true, force: true });
  }

  /** Removes held files older than maxAgeMs (by the app's clock) and the folders left empty. Returns how many went. */
  async sweep(maxAgeMs = PENDING_MAX_AGE_MS): Promise<number> {
    const cutoff = this.clock.now() - maxAgeMs;
    let removed = 0;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const folder = join(this.dir, name);
      const entries = await readdir(folder).catch(() => null);
      if (!entries) continue;
      let left = entries.length;
      for (const e of entries) {
        const path = join(folder, e);
        const st = await stat(path).catch(() => null);
        if (st && st.mtimeMs >= cutoff) continue;
        await rm(path, { force: true });
        removed++;
        left--;
      }
      if (left === 0) await rmdir(folder).catch(() => {});
    }
    return removed;
  }
}
