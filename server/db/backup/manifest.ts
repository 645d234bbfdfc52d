// What a backup holds and how to check it: the manifest, file checksums, row counts, the uploads' layout.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST = 'manifest.json';
export const DB_FILE = 'complaints.sqlite';
export const SECRET_FILE = 'session-secret';
export const UPLOADS = 'uploads';

export interface FileEntry {
  file: string;
  bytes: number;
  sha256: string;
}
export interface Manifest {
  format: 1;
  createdAt: string;
  source: { databasePath: string; uploadDir: string; dataDir: string };
  database: FileEntry & { integrity: string; rowCounts: Record<string, number> };
  sessionSecret: FileEntry | null;
  /** Content-addressed: each file's name is the sha256 of its bytes, so the name is its checksum. */
  uploads: { dir: string; files: number; bytes: number; checksum: 'sha256 of each file equals its name' };
  /** Anything the backup could not vouch for (a corrupt upload in the source, a referenced file missing). */
  problems: string[];
}

export class BackupError extends Error {}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const SHARD = /^[0-9a-f]{2}$/;
const NAME = /^[0-9a-f]{64}$/;

/** Every stored upload under dir as [relative path, sha256 name]; the temp folder and stray files are not uploads. */
export function listUploads(dir: string): { rel: string; sha256: string }[] {
  if (!existsSync(dir)) return [];
  const out: { rel: string; sha256: string }[] = [];
  for (const shard of readdirSync(dir)
    .filter((d) => SHARD.test(d))
    .sort()) {
    for (const name of readdirSync(join(dir, shard))
      .filter((f) => NAME.test(f) && f.startsWith(shard))
      .sort()) {
      out.push({ rel: join(shard, name), sha256: name });
    }
  }
  return out;
}

/** Opens a copied database to check it: integrity, row counts per table, the attachments its rows reference. */
export function inspectDatabase(path: string): {
  integrity: string;
  rowCounts: Record<string, number>;
  referenced: string[];
} {
  const db = new Database(path, { fileMustExist: true, readonly: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    const rowCounts: Record<string, number> = {};
    for (const t of tables)
      rowCounts[t] = db
        .prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number;
    const referenced = tables.includes('attachments')
      ? (db.prepare('SELECT DISTINCT sha256 FROM attachments').pluck().all() as string[])
      : [];
    return { integrity, rowCounts, referenced };
  } finally {
    db.close();
  }
}
