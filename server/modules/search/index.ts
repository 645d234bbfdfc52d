// Chooses the search backend: Meilisearch when a URL is configured, the embedded SQLite index otherwise.
// The caller owns the returned index's lifecycle: init() before use, close() on shutdown.
import type Database from 'better-sqlite3';
import { MeiliSearchIndex } from './meili-index.ts';
import { SqliteSearchIndex, type SqliteSearchOptions } from './sqlite-index.ts';
import type { SearchIndex } from './types.ts';

export interface SearchIndexConfig {
  /** Set (config MEILI_URL) to use Meilisearch; otherwise the SQLite FTS5 index in `db` is used. */
  meiliUrl?: string | null;
  meiliKey?: string | null;
  meiliIndexUid?: string;
  /** The app's database handle; the SQLite backend keeps its tables there (and never closes it). */
  db: Database.Database;
  sqlite?: SqliteSearchOptions;
}

export function createSearchIndex(config: SearchIndexConfig): SearchIndex {
  if (config.meiliUrl)
    return new MeiliSearchIndex({ url: config.meiliUrl, key: config.meiliKey, indexUid: config.meiliIndexUid });
  return new SqliteSearchIndex(config.db, config.sqlite);
}

export type { CaseDoc, SearchHit, SearchIndex, SearchQuery, SearchResult, SimilarDraft } from './types.ts';
export { SqliteSearchIndex } from './sqlite-index.ts';
export { MeiliSearchIndex } from './meili-index.ts';
export { aliasesFor } from './provider-aliases.ts';
