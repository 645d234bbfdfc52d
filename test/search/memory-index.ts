// An embedded search index on a database of its own (in memory by default), for the SQLite suites.
import Database from 'better-sqlite3';
import { SqliteSearchIndex, type SqliteSearchOptions } from '../../server/modules/search/sqlite-index.ts';

/** An index on a database at `path` (WAL for a file), with `dispose` closing both. */
export async function indexOn(path: string, options: SqliteSearchOptions = {}) {
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  const index = new SqliteSearchIndex(db, options);
  await index.init();
  return {
    index,
    db,
    dispose: async () => {
      await index.close();
      db.close();
    },
  };
}

export function memoryIndex(options: SqliteSearchOptions = {}) {
  return indexOn(':memory:', options);
}

/** The index with its fast paths never taken (bitsets, cubes, walks) and taken for words in 50 cases or more. */
export async function plainAndFast(cleanups: (() => void)[]) {
  const plain = await memoryIndex({ bitsetMinDocs: 1_000_000 });
  const fast = await memoryIndex({ bitsetMinDocs: 50 });
  cleanups.push(
    () => void plain.dispose(),
    () => void fast.dispose(),
  );
  return { plain, fast };
}
