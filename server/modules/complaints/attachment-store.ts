// Attachments on disk, outside the web root, named by the hash of their stored bytes.
// Bytes reach a temporary file first and are renamed into place, so a crash never leaves half a file.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class AttachmentStore {
  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'tmp'), { recursive: true });
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad attachment hash');
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Writes bytes to a new temporary file; the caller adopts it or removes it. */
  async stage(bytes: Buffer): Promise<{ path: string; sha256: string }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = join(this.dir, 'tmp', `stage-${randomBytes(12).toString('hex')}`);
    await writeFile(path, bytes, { flag: 'wx', mode: 0o600 });
    return { path, sha256 };
  }

  /** Moves a temporary file (in this store's tmp folder, whose content hashes to sha256) into place. */
  async adopt(tmp: string, sha256: string): Promise<{ created: boolean }> {
    const target = this.pathOf(sha256);
    if (existsSync(target)) {
      await rm(tmp, { force: true });
      return { created: false };
    }
    mkdirSync(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    await rename(tmp, target);
    return { created: true };
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
