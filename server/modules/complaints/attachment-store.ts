// Attachments on disk, outside the web root, named by the hash of their stored bytes.
// Bytes reach a temporary file first, are synced and renamed into place (the folder synced too), so a crash never
// leaves half a file and a power cut never loses a file whose complaint was acknowledged. A write that fails (full
// disk) removes its temporary file.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { chmod, copyFile, link, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_DIR, PRIVATE_FILE } from '../../lib/data-dir.ts';

export class AttachmentStore {
  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'tmp'), { recursive: true, mode: PRIVATE_DIR });
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad attachment hash');
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** A new temporary file written by write(path) and then hashed as it is read back; the caller adopts it or removes it. */
  async stageWith(write: (path: string) => Promise<void>): Promise<{ path: string; sha256: string; size: number }> {
    const path = join(this.dir, 'tmp', `stage-${randomBytes(12).toString('hex')}`);
    try {
      await write(path);
      // Whoever wrote it (a stream, sharp) used the process umask: attachments are personal data, 0600 like the database.
      await chmod(path, PRIVATE_FILE);
      const hash = createHash('sha256');
      let size = 0;
      // Read in chunks, so a large image never blocks the event loop while it is hashed.
      for await (const chunk of createReadStream(path)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      return { path, sha256: hash.digest('hex'), size };
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
  }

  /** Moves a temporary file (in this store's tmp folder, whose content hashes to sha256) into place. */
  async adopt(tmp: string, sha256: string): Promise<{ created: boolean }> {
    const target = this.pathOf(sha256);
    if (existsSync(target)) {
      await rm(tmp, { force: true });
      return { created: false };
    }
    const folder = join(this.dir, sha256.slice(0, 2));
    try {
      await syncFile(tmp); // streamed uploads arrive unsynced
      mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await syncDir(folder); // the rename itself survives a power cut
    return { created: true };
  }

  /** Stores a copy of a file kept elsewhere in this folder (a pending upload), which stays where it is. */
  async adoptCopy(src: string, sha256: string): Promise<{ created: boolean }> {
    if (existsSync(this.pathOf(sha256))) return { created: false };
    const tmp = join(this.dir, 'tmp', `stage-${randomBytes(12).toString('hex')}`);
    // A hard link costs nothing on the same disk; a copy where links are not allowed.
    try {
      await link(src, tmp).catch(() => copyFile(src, tmp));
    } catch (err) {
      // Another request for the same form stored it and let the pending file go in between.
      if (existsSync(this.pathOf(sha256))) return { created: false };
      throw err;
    }
    return this.adopt(tmp, sha256);
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}

async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
