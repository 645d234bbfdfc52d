// Attachments on disk, outside the web root, named by the hash of their stored bytes.
// Writes go to a temporary file first, are synced and renamed into place, so a crash never leaves half a file and a
// power cut never loses a file whose complaint was acknowledged. A write that fails (full disk) removes its temp file.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export class AttachmentStore {
  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'tmp'), { recursive: true });
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad attachment hash');
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes; returns their sha256 and whether this call created the file. */
  async put(bytes: Buffer): Promise<{ sha256: string; created: boolean }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if (existsSync(target)) return { sha256, created: false };
    const tmp = join(this.dir, 'tmp', `${sha256}.${randomBytes(6).toString('hex')}`);
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try { await fh.writeFile(bytes); await fh.sync(); } finally { await fh.close(); }
      mkdirSync(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await syncDir(join(this.dir, sha256.slice(0, 2))); // the rename itself survives a power cut
    return { sha256, created: true };
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}
