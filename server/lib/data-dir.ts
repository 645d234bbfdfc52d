// The data directory at start: is it writable with room to spare, and is the kept session secret sound? Problems are
// returned as sentences naming the path and what to do, for ConfigError; a start never ends in a stack trace.
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Bytes written and synced by the start probe: a disk that cannot take this much cannot take a day's filings. */
export const PROBE_BYTES = 1024 * 1024;
export const MIN_SECRET_LENGTH = 32;
/** Directories the service creates for its data: complaints, contacts and attachments are the service user's alone. */
export const PRIVATE_DIR = 0o700;
/** Files holding personal data (database, attachments, mail log): owner only. */
export const PRIVATE_FILE = 0o600;

/**
 * The database file (created here if new) and its WAL and shared-memory files, mode 0600, before SQLite opens it:
 * SQLite gives the -wal and -shm files it creates the main file's mode, so a new database never exists world-readable,
 * and files made by an earlier version are narrowed too.
 */
export function makeDatabaseFilesPrivate(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

const DISK_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full (ENOSPC): free some space',
  EDQUOT: 'the disk quota is exhausted (EDQUOT): free some space or raise the quota',
  EROFS: 'the file system is read-only (EROFS): remount it read-write or choose another directory',
  EACCES: 'permission denied (EACCES): give the service user write access',
  EPERM: 'permission denied (EPERM): give the service user write access',
  ENOTDIR: 'a part of the path is a file, not a directory (ENOTDIR)',
  EIO: 'the disk reports an I/O error (EIO): check the device',
};

const describe = (err: unknown) => {
  const code = (err as { code?: string }).code ?? '';
  return DISK_PROBLEMS[code] ?? `${code || 'error'}: ${(err as Error).message}`;
};

/** Fills a temp file beside `to` (fill gets its path), syncs it, renames it over `to`, then syncs the directory. */
function replaceAtomically(to: string, mode: number, fill: (tmp: string) => void): void {
  const tmp = join(dirname(to), `.${basename(to)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fill(tmp);
    const fd = openSync(tmp, 'r+', mode);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, to);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  const dirFd = openSync(dirname(to), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** Writes data to file atomically: a temp file beside it, synced, renamed, then the directory synced. */
export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): void {
  replaceAtomically(file, mode, (tmp) => writeFileSync(tmp, data, { flag: 'wx', mode }));
}

/** Copies from to `to` atomically (temp beside it, synced, renamed), without holding the file in memory. */
export function copyFileAtomic(from: string, to: string, mode = 0o600): void {
  replaceAtomically(to, mode, (tmp) => copyFileSync(from, tmp, constants.COPYFILE_EXCL));
}

/** Creates dir if needed and proves it takes a synced write of PROBE_BYTES; null when it does, else the problem. */
export function probeWritable(dir: string, variable: string): string | null {
  const probe = join(dir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    const fd = openSync(probe, 'wx', 0o600);
    try {
      writeFileSync(fd, Buffer.alloc(PROBE_BYTES));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return null;
  } catch (err) {
    return `${variable} ${dir} is not writable: ${describe(err)}`;
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {
      /* the probe's own failure is the one reported */
    }
  }
}

const FIX = 'delete it to generate a new one (signed-in users must sign in again), or set SESSION_SECRET';

/** Reads the kept session secret; refuses an unreadable, empty or short file (a start that failed half-way). */
export function readSessionSecret(file: string): { secret: string } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    return {
      problem: `session secret file ${file} cannot be read (${(err as { code?: string }).code ?? (err as Error).message}): ${FIX}`,
    };
  }
  if (text.length === 0) return { problem: `session secret file ${file} is empty: ${FIX}` };
  if (text.length < MIN_SECRET_LENGTH)
    return {
      problem: `session secret file ${file} is too short (${text.length} characters, at least ${MIN_SECRET_LENGTH}): ${FIX}`,
    };
  return { secret: text };
}

/** Generates and keeps a new secret; a failure (full disk) leaves no file behind. */
export function createSessionSecret(file: string): { secret: string } | { problem: string } {
  const secret = randomBytes(32).toString('hex');
  try {
    writeFileAtomic(file, secret, 0o600);
  } catch (err) {
    return { problem: `session secret file ${file} cannot be written: ${describe(err)}` };
  }
  return { secret };
}
