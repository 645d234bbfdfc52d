// Rebuilds the configured search backend (SQLite FTS5, or Meilisearch with MEILI_URL) from public_cases, with a
// progress bar on stderr. The running app picks the rebuilt embedded index up by itself (it watches the index's
// generation); searches during the rebuild see a partial index.
//
//   npm run reindex [-- --batch 2000]
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { openDatabase, type Db, type Sqlite } from '../server/db/database.ts';
import { rebuildSearchIndex } from '../server/modules/board/reindex.ts';
import { openSearchIndex } from '../server/modules/board/search-backend.ts';
import { ProgressBar } from './progress-bar.ts';

/** Shared with the import script: rebuild, report, close the index (the database stays open). */
export async function reindexTo(
  config: Config,
  sqlite: Sqlite,
  db: Db,
  batch = 2000,
): Promise<{ docs: number; seconds: number; backend: string }> {
  const index = openSearchIndex(config, sqlite);
  const bar = new ProgressBar(`重建索引（${index.name}）`, null);
  const docs = await rebuildSearchIndex(db, index, {
    batch,
    onStart: (n) => bar.setTotal(n),
    onBatch: (n) => bar.tick(n),
  });
  const { seconds } = bar.finish();
  const count = await index.count();
  await index.close();
  console.error(
    `索引 ${docs.toLocaleString('en-US')} 个案例（后端 ${index.name}，索引内 ${count.toLocaleString('en-US')}），${seconds.toFixed(1)} 秒，${Math.round(docs / seconds).toLocaleString('en-US')} 个/秒`,
  );
  return { docs, seconds, backend: index.name };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const { values: args } = parseArgs({ options: { batch: { type: 'string' } } });
  const { sqlite, db } = openDatabase(config.databasePath);
  sqlite.pragma('cache_size = -262144');
  const result = await reindexTo(config, sqlite, db, Number(args.batch ?? 2000));
  console.log(JSON.stringify(result));
  sqlite.close();
}
