// Opening the SQLite database: WAL, foreign keys, and the committed migrations applied.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKSTOP_PAGES } from './checkpointer.ts';
import * as schema from './schema.ts';
import { indexTokens } from '../modules/search/segment.ts';

export type Db = BetterSQLite3Database<typeof schema>;
export type Sqlite = Database.Database;

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

/** Runs fn inside one transaction (nested calls become savepoints). */
export type Transaction = <T>(fn: () => T) => T;

/**
 * better-sqlite3 prepares BEGIN/COMMIT/ROLLBACK for every transaction function it makes, and drizzle's
 * db.transaction() makes a new one per call. Hot paths use this runner instead, made once per connection: the same
 * semantics at a fraction of the cost. Inside it, the drizzle handle joins the open transaction (one connection).
 */
export function transactionRunner(sqlite: Sqlite): Transaction {
  const run = sqlite.transaction((fn: () => unknown) => fn());
  return <T>(fn: () => T) => run(fn) as T;
}

export function openDatabase(path: string): { sqlite: Sqlite; db: Db } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: every COMMIT fsyncs the WAL before it returns, so a write we acknowledge survives a power cut (NORMAL only
  // survives a process kill). FULL for the whole connection rather than switched on around the acknowledging
  // commits: nearly every commit on this connection answers a person (filings, transitions, sign-ups, sessions),
  // and a per-commit opt-in that one code path forgets loses that path's writes silently; the background commits
  // (outbox bookkeeping, scheduler ticks) are batched, so the fsyncs they add are few. Filings keep the cost low
  // through the group commit: one fsync per batch, not per complaint. PRAGMA synchronous cannot change inside a
  // transaction, so any future opt-out must sit between transactions.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MiB of page cache instead of SQLite's 2 MiB: a million complaints' hot index pages stay in memory.
  sqlite.pragma('cache_size = -65536');
  // Checkpoints normally come from WalCheckpointer's thread; this is only the backstop.
  if (path !== ':memory:') sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  // Triggers on complaints keep the merchant inbox's private title index (migrations/0004) with this function, so it
  // must exist on every connection that writes complaints, before the migrations run (their backfill calls it).
  sqlite.function('inbox_words', { deterministic: true }, (title) => (typeof title === 'string' ? indexTokens(title).join(' ') : ''));
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { sqlite, db };
}
