// The readiness checks ops owns: the database takes a write, DATA_DIR's disk has room, every committed migration is
// applied. Each returns null when ready, or why not.
import { readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sqlite } from '../../db/database.ts';
import type { ReadinessCheck } from './readiness.ts';

/**
 * A real write: rewriting user_version with its own value dirties the header page and commits it, so a read-only
 * file, a read-only connection or a failing disk all show. busy_timeout is 0 meanwhile: when another process holds
 * the write lock the database is writable, only busy, and the probe must not stall the event loop waiting for it.
 */
export function databaseWritable(sqlite: Sqlite): ReadinessCheck {
  return () => {
    if (sqlite.inTransaction) return null; // a write of ours is open: the connection is writing
    const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
    sqlite.pragma('busy_timeout = 0');
    try {
      const version = sqlite.pragma('user_version', { simple: true }) as number;
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        sqlite.pragma(`user_version = ${Number(version)}`);
        sqlite.exec('COMMIT');
      } catch (err) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw err;
      }
      return null;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return null;
      return `数据库不可写：${(err as Error).message}`;
    } finally {
      sqlite.pragma(`busy_timeout = ${Number(busyTimeout)}`);
    }
  };
}

const MiB = 1024 * 1024;

export function diskSpace(dir: string, minFreeBytes: number): ReadinessCheck {
  return async () => {
    const s = await statfs(dir);
    const free = s.bavail * s.bsize;
    return free >= minFreeBytes
      ? null
      : `${dir} 所在磁盘可用空间 ${Math.floor(free / MiB)} MiB，低于要求的 ${Math.ceil(minFreeBytes / MiB)} MiB`;
  };
}

/** Compares drizzle's applied set (created_at is each migration's journal `when`) with the committed journal. */
export function migrationsCurrent(sqlite: Sqlite, migrationsDir: string): ReadinessCheck {
  const journal = JSON.parse(readFileSync(join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  const applied = sqlite.prepare('SELECT created_at FROM __drizzle_migrations').pluck();
  return () => {
    const have = new Set((applied.all() as (number | string)[]).map(Number));
    const missing = journal.entries.filter((e) => !have.has(e.when)).map((e) => e.tag);
    return missing.length === 0 ? null : `尚未应用的数据库迁移：${missing.join('、')}`;
  };
}
