// An embedded search index on an in-memory database, for the SQLite suites.
import Database from 'better-sqlite3';
import { SqliteSearchIndex } from '../../server/modules/search/sqlite-index.ts';

export async function memoryIndex(options: { bitsetMinDocs?: number } = {}) {
  const db = new Database(':memory:');
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
