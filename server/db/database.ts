// Opening the SQLite database: WAL, foreign keys, and the committed migrations applied.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { makeDatabaseFilesPrivate } from '../lib/data-dir.ts';
import { MIGRATIONS_DIR } from '../lib/paths.ts';
import { BACKSTOP_PAGES } from './checkpointer.ts';
import * as schema from './schema.ts';
import { statementCache } from './statement-cache.ts';
import { indexTokens } from '../modules/search/segment.ts';

export type Db = BetterSQLite3Database<typeof schema>;
export type Sqlite = Database.Database;

export { MIGRATIONS_DIR };

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
  if (path !== ':memory:') makeDatabaseFilesPrivate(path);
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL: a COMMIT writes its WAL frames without fsync (atomic and consistent; a process kill loses nothing). What we
  // acknowledge to a person survives a power cut too: every answer to a writing request waits for an fdatasync of the
  // WAL in the thread pool (db/wal-sync.ts, hooked in plugins/db.ts), shared by concurrent requests, so the event loop
  // never waits for the disk. FULL did the same inside each synchronous COMMIT and cost filings a third of their rate.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Deleted and overwritten content is zeroed in the file, not left in free space: once an account is closed (or the
  // outbox purges a payload), the old bytes are gone from the database file too, not only from its tables.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MiB of page cache instead of SQLite's 2 MiB: a million complaints' hot index pages stay in memory.
  sqlite.pragma('cache_size = -65536');
  // Checkpoints normally come from WalCheckpointer's thread; this is only the backstop.
  if (path !== ':memory:') sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  // Triggers on complaints keep the merchant inbox's private title index (migrations/0004) with this function, so it
  // must exist on every connection that writes complaints, before the migrations run (their backfill calls it).
  sqlite.function('inbox_words', { deterministic: true }, (title) =>
    typeof title === 'string' ? indexTokens(title).join(' ') : '',
  );
  const db = drizzle(statementCache(sqlite).client, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { sqlite, db };
}
