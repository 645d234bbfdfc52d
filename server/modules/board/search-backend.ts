// Which search backend the board uses (the search module's factory: Meilisearch when MEILI_URL is set, the embedded
// SQLite index otherwise). One place, shared by the app plugin and the import/reindex scripts.
import type { Config } from '../../config.ts';
import type { Sqlite } from '../../db/database.ts';
import { createSearchIndex } from '../search/index.ts';
import type { SearchIndex } from '../search/types.ts';

/** `onThreadError`: a failure of the SQLite index's similar-cases thread (the draft is then scored in place). */
export function openSearchIndex(
  config: Pick<Config, 'meili'>,
  sqlite: Sqlite,
  onThreadError?: (err: Error) => void,
): SearchIndex {
  return createSearchIndex({
    meiliUrl: config.meili?.url ?? null,
    meiliKey: config.meili?.key ?? null,
    db: sqlite,
    sqlite: { similar: { onError: onThreadError } },
  });
}
