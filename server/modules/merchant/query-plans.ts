// The inbox's own SQL, recorded as it runs, and SQLite's plan for each statement: the plan test and
// scripts/bench-inbox.ts both check that no page reads a whole table or sorts in a temporary B-tree.
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Sqlite } from '../../db/database.ts';
import * as schema from '../../db/schema.ts';
import { merchantService } from './service.ts';

export interface RecordedQuery {
  sql: string;
  params: unknown[];
}

/** A merchant service on its own drizzle handle over the same connection, logging every statement it runs. */
export function recordingMerchant(sqlite: Sqlite) {
  const seen: RecordedQuery[] = [];
  const db = drizzle(sqlite, {
    schema,
    logger: {
      logQuery: (sql, params) => {
        seen.push({ sql, params });
      },
    },
  });
  return { service: merchantService(db), seen };
}

export function planOf(sqlite: Sqlite, q: RecordedQuery): string[] {
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[]).map((r) => r.detail);
}

/**
 * Plan lines that grow with the data: a scan of complaints or providers, or a sort in a temporary B-tree.
 * (inbox_counts holds four rows a provider: SQLite may rightly scan it.)
 */
export const costlyPlanLines = (plan: string[]) =>
  plan.filter((d) => /^SCAN (complaints|providers)\b/.test(d) || /TEMP B-TREE/.test(d));
