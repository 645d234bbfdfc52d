// Rebuilding a search backend from public_cases (the reindex script, and the last step of a bulk import). Offline
// work: the running app keeps its index in step through the outbox; this starts one from scratch.
import { asc, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { SearchIndex } from '../search/types.ts';
import { publicCases } from './schema.ts';
import { caseDocsOf } from './search-sync.ts';

export interface ReindexOptions {
  batch?: number;
  onStart?(total: number): void;
  onBatch?(docs: number): void;
}

export async function rebuildSearchIndex(db: Db, index: SearchIndex, opts: ReindexOptions = {}): Promise<number> {
  const batch = opts.batch ?? 2000;
  await index.init();
  await index.clear();
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM public_cases`).n;
  opts.onStart?.(total);
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = db
      .select({
        id: publicCases.complaintId,
        doc: publicCases.doc,
        filedAt: publicCases.filedAt,
        providerId: publicCases.providerId,
      })
      .from(publicCases)
      .where(gt(publicCases.complaintId, after))
      .orderBy(asc(publicCases.complaintId))
      .limit(batch)
      .all();
    if (rows.length === 0) break;
    await index.upsert(caseDocsOf(db, rows));
    done += rows.length;
    after = rows[rows.length - 1].id;
    opts.onBatch?.(rows.length);
  }
  // The embedded index reads doclists several times faster once its segments are merged.
  const optimizable = index as SearchIndex & { optimize?: () => void };
  if (typeof optimizable.optimize === 'function') optimizable.optimize();
  return done;
}
