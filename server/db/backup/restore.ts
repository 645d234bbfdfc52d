// Restoring a backup into a STOPPED data directory. The backup is checked first (manifest checksums, every upload
// against its name, PRAGMA integrity_check, row counts), so a damaged copy is refused before anything is touched.
// A running service is detected by trying to take SQLite's exclusive lock on the current database: every process
// with the database open (the service, its checkpoint thread, a running script) holds a lock that refuses it.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DataPaths } from '../../config.ts';
import { copyFileAtomic, writeFileAtomic } from '../../lib/data-dir.ts';
import {
  BackupError,
  DB_FILE,
  inspectDatabase,
  listUploads,
  MANIFEST,
  SECRET_FILE,
  sha256File,
  UPLOADS,
  type Manifest,
} from './manifest.ts';

/** Checks a backup folder; returns its manifest and every problem found (none: it can be restored). */
export async function verifyBackup(source: string): Promise<{ manifest: Manifest | null; problems: string[] }> {
  const src = resolve(source);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(src, MANIFEST), 'utf8')) as Manifest;
  } catch (err) {
    return {
      manifest: null,
      problems: [
        `${join(src, MANIFEST)} cannot be read (${(err as { code?: string }).code ?? (err as Error).message}): not a complete backup`,
      ],
    };
  }
  const problems: string[] = [];
  for (const entry of [manifest.database, manifest.sessionSecret]) {
    if (!entry) continue;
    const path = join(src, entry.file);
    if (!existsSync(path)) {
      problems.push(`${path} is missing`);
      continue;
    }
    const sha = await sha256File(path);
    if (sha !== entry.sha256)
      problems.push(`${path}: checksum mismatch (manifest ${entry.sha256.slice(0, 12)}…, file ${sha.slice(0, 12)}…)`);
  }
  let files = 0;
  for (const { rel, sha256 } of listUploads(join(src, UPLOADS))) {
    files++;
    if ((await sha256File(join(src, UPLOADS, rel))) !== sha256)
      problems.push(`${join(src, UPLOADS, rel)}: checksum mismatch`);
  }
  if (files !== manifest.uploads.files)
    problems.push(`${join(src, UPLOADS)} holds ${files} files, the manifest ${manifest.uploads.files}`);
  if (problems.length === 0) {
    const db = inspectDatabase(join(src, DB_FILE));
    if (db.integrity !== 'ok') problems.push(`integrity_check: ${db.integrity}`);
    for (const [table, n] of Object.entries(manifest.database.rowCounts))
      if (db.rowCounts[table] !== n) problems.push(`table ${table}: ${db.rowCounts[table]} rows, the manifest ${n}`);
    const present = new Set(listUploads(join(src, UPLOADS)).map((u) => u.sha256));
    for (const sha of db.referenced)
      if (!present.has(sha)) problems.push(`attachment ${sha} is referenced but not in the backup`);
  }
  return { manifest, problems };
}

/** True when some process has the database open (it holds a lock that refuses an exclusive one). */
export function databaseInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    db.close();
  }
}

const nonEmpty = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0;

export async function restoreBackup(
  source: string,
  paths: DataPaths,
  opts: { force?: boolean } = {},
): Promise<Manifest> {
  const src = resolve(source);
  if (paths.databasePath === ':memory:') throw new BackupError('DATABASE_PATH is :memory:: nowhere to restore to');
  if (databaseInUse(paths.databasePath))
    throw new BackupError(
      `refusing to restore: ${paths.databasePath} is open in a running process (the service?). Stop it first.`,
    );
  if (!opts.force && (nonEmpty(paths.dataDir) || nonEmpty(paths.uploadDir))) {
    throw new BackupError(
      `refusing to restore: ${paths.dataDir} is not empty. Restore into an empty DATA_DIR, or pass --force to replace its database, secret and uploads.`,
    );
  }
  const { manifest, problems } = await verifyBackup(src);
  if (!manifest || problems.length)
    throw new BackupError(`refusing to restore ${src}: the backup is damaged:\n  - ${problems.join('\n  - ')}`);
  mkdirSync(dirname(paths.databasePath), { recursive: true });
  // A WAL left beside the old database would be replayed over the restored one on the next open.
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(paths.databasePath + suffix, { force: true });
  copyFileAtomic(join(src, DB_FILE), paths.databasePath);
  if ((await sha256File(paths.databasePath)) !== manifest.database.sha256)
    throw new BackupError(
      `${paths.databasePath}: the restored copy does not match the backup's checksum (disk problem?)`,
    );
  if (manifest.sessionSecret) {
    mkdirSync(paths.dataDir, { recursive: true });
    writeFileAtomic(paths.sessionSecretFile, readFileSync(join(src, SECRET_FILE)), 0o600);
  }
  for (const { rel } of listUploads(join(src, UPLOADS))) {
    const to = join(paths.uploadDir, rel);
    mkdirSync(dirname(to), { recursive: true });
    writeFileAtomic(to, readFileSync(join(src, UPLOADS, rel)), 0o600);
  }
  return manifest;
}
