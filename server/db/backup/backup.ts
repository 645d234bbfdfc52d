// An online backup while the service runs. The database is copied through SQLite's backup API from its own
// connection, all pages in one step, so the copy is one consistent snapshot (a paged copy restarts whenever the
// service commits, and under steady filings might never finish). Uploads are copied AFTER the snapshot: files are
// written before the rows that reference them commit and are never removed while referenced, so every attachment the
// copied rows name is present. The manifest is written last and the folder renamed into place: a DEST that exists
// is a complete backup.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { DataPaths } from '../../config.ts';
import { writeFileAtomic } from '../../lib/data-dir.ts';
import {
  BackupError,
  DB_FILE,
  inspectDatabase,
  listUploads,
  MANIFEST,
  SECRET_FILE,
  sha256File,
  UPLOADS,
  type FileEntry,
  type Manifest,
} from './manifest.ts';

/** sqlite3_backup_step's page count for "everything that is left" (better-sqlite3 caps the number at 2^31-1). */
const ALL_PAGES = 0x7fffffff;

export async function takeBackup(
  paths: DataPaths,
  destination: string,
  now: () => Date = () => new Date(),
): Promise<Manifest> {
  const dest = resolve(destination);
  if (paths.databasePath === ':memory:')
    throw new BackupError('DATABASE_PATH is :memory:: there is no database file to back up');
  if (!existsSync(paths.databasePath))
    throw new BackupError(
      `no database at ${paths.databasePath}: is DATA_DIR (or DATABASE_PATH) set as for the service?`,
    );
  if (existsSync(dest) && readdirSync(dest).length > 0)
    throw new BackupError(`${dest} is not empty: give a new directory for each backup`);
  mkdirSync(dirname(dest), { recursive: true });
  const work = `${dest}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, UPLOADS), { recursive: true });
  try {
    const createdAt = now().toISOString();
    const source = new Database(paths.databasePath, { fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      await source.backup(join(work, DB_FILE), { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
    const inspected = inspectDatabase(join(work, DB_FILE));
    const problems: string[] = [];
    if (inspected.integrity !== 'ok') problems.push(`integrity_check of the copy: ${inspected.integrity}`);

    const sessionSecret = existsSync(paths.sessionSecretFile)
      ? copyFile(paths.sessionSecretFile, join(work, SECRET_FILE), SECRET_FILE)
      : null;
    const uploads = copyUploads(paths.uploadDir, join(work, UPLOADS), problems);
    const present = new Set(listUploads(join(work, UPLOADS)).map((u) => u.sha256));
    for (const sha of inspected.referenced)
      if (!present.has(sha))
        problems.push(`attachment ${sha} is referenced by the database but missing from ${paths.uploadDir}`);

    const manifest: Manifest = {
      format: 1,
      createdAt,
      source: { databasePath: paths.databasePath, uploadDir: paths.uploadDir, dataDir: paths.dataDir },
      database: {
        file: DB_FILE,
        bytes: statSync(join(work, DB_FILE)).size,
        sha256: await sha256File(join(work, DB_FILE)),
        integrity: inspected.integrity,
        rowCounts: inspected.rowCounts,
      },
      sessionSecret,
      uploads: { dir: UPLOADS, ...uploads, checksum: 'sha256 of each file equals its name' },
      problems,
    };
    writeFileAtomic(join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
    if (existsSync(dest)) rmdirSync(dest); // empty, checked above
    renameSync(work, dest);
    return manifest;
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

function copyFile(from: string, to: string, name: string): FileEntry {
  const bytes = readFileSync(from);
  writeFileAtomic(to, bytes, 0o600);
  return { file: name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Copies every upload, checking each against its name; a file whose bytes do not match is reported, not copied. */
function copyUploads(from: string, to: string, problems: string[]): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const { rel, sha256 } of listUploads(from)) {
    const data = readFileSync(join(from, rel));
    if (createHash('sha256').update(data).digest('hex') !== sha256) {
      problems.push(`upload ${rel} in ${from} does not match its checksum (corrupt on disk): not copied`);
      continue;
    }
    mkdirSync(dirname(join(to, rel)), { recursive: true });
    writeFileAtomic(join(to, rel), data, 0o600);
    files++;
    bytes += data.length;
  }
  return { files, bytes };
}
