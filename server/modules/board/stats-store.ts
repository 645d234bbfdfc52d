// Scorecard aggregates maintained by difference: a case's new contribution minus its stored one is added to its
// provider's month row and response-time histogram, in the transaction of the change. rebuildAggregates() recounts
// everything from case_stats (after a bulk import, or to check the running sums). Statements are prepared once for
// the connection and run in the caller's transaction.
import { sql } from 'drizzle-orm';
import type { Db, Sqlite } from '../../db/database.ts';
import type { CaseContribution } from './stats.ts';

const COUNTED = [
  'forwarded',
  'replied',
  'firstResponseDecided',
  'firstResponseOnTime',
  'finished',
  'resolved',
  'ratingPoints',
  'ratingParts',
] as const;
type Counts = Record<(typeof COUNTED)[number], number>;

export function statsStore(sqlite: Sqlite) {
  const read =
    sqlite.prepare(`SELECT provider_id AS providerId, month, forwarded, replied, first_response_decided AS firstResponseDecided,
      first_response_on_time AS firstResponseOnTime, first_response_tenths AS firstResponseTenths, finished, resolved,
      rating_points AS ratingPoints, rating_parts AS ratingParts
    FROM case_stats WHERE complaint_id = ?`);
  const write =
    sqlite.prepare(`INSERT INTO case_stats (complaint_id, provider_id, month, forwarded, replied, first_response_decided,
      first_response_on_time, first_response_tenths, finished, resolved, rating_points, rating_parts)
    VALUES (@complaintId, @providerId, @month, @forwarded, @replied, @firstResponseDecided, @firstResponseOnTime, @firstResponseTenths,
      @finished, @resolved, @ratingPoints, @ratingParts)
    ON CONFLICT (complaint_id) DO UPDATE SET provider_id = excluded.provider_id, month = excluded.month, forwarded = excluded.forwarded,
      replied = excluded.replied, first_response_decided = excluded.first_response_decided,
      first_response_on_time = excluded.first_response_on_time, first_response_tenths = excluded.first_response_tenths,
      finished = excluded.finished, resolved = excluded.resolved, rating_points = excluded.rating_points, rating_parts = excluded.rating_parts`);
  const addMonth =
    sqlite.prepare(`INSERT INTO provider_month_stats (provider_id, month, complaints, replied, first_response_decided,
      first_response_on_time, finished, resolved, rating_points, rating_parts)
    VALUES (@providerId, @month, @forwarded, @replied, @firstResponseDecided, @firstResponseOnTime, @finished, @resolved, @ratingPoints, @ratingParts)
    ON CONFLICT (provider_id, month) DO UPDATE SET complaints = complaints + excluded.complaints,
      replied = replied + excluded.replied, first_response_decided = first_response_decided + excluded.first_response_decided,
      first_response_on_time = first_response_on_time + excluded.first_response_on_time, finished = finished + excluded.finished,
      resolved = resolved + excluded.resolved, rating_points = rating_points + excluded.rating_points,
      rating_parts = rating_parts + excluded.rating_parts`);
  const addHist = sqlite.prepare(`INSERT INTO provider_response_hist (provider_id, month, tenths, n) VALUES (?, ?, ?, ?)
    ON CONFLICT (provider_id, month, tenths) DO UPDATE SET n = n + excluded.n`);
  const dropEmptyHist = sqlite.prepare(
    'DELETE FROM provider_response_hist WHERE provider_id = ? AND month = ? AND tenths = ? AND n <= 0',
  );

  function addToMonth(providerId: number, month: string, d: Counts): void {
    if (COUNTED.every((k) => d[k] === 0)) return;
    addMonth.run({ providerId, month, ...d });
  }
  function addToHistogram(providerId: number, month: string, tenths: number, n: number): void {
    addHist.run(providerId, month, tenths, n);
    if (n < 0) dropEmptyHist.run(providerId, month, tenths);
  }
  const counts = (c: CaseContribution, sign: 1 | -1) =>
    Object.fromEntries(COUNTED.map((k) => [k, sign * c[k]])) as Counts;

  return {
    /** Stores the case's contribution and moves the aggregates by the difference. Returns whether anything changed. */
    apply(complaintId: number, next: CaseContribution): boolean {
      const prev = read.get(complaintId) as CaseContribution | undefined;
      const same =
        prev &&
        prev.providerId === next.providerId &&
        prev.month === next.month &&
        prev.firstResponseTenths === next.firstResponseTenths &&
        COUNTED.every((k) => prev[k] === next[k]);
      if (same) return false;
      if (prev && (prev.providerId !== next.providerId || prev.month !== next.month)) {
        addToMonth(prev.providerId, prev.month, counts(prev, -1));
        addToMonth(next.providerId, next.month, counts(next, 1));
      } else {
        addToMonth(
          next.providerId,
          next.month,
          Object.fromEntries(COUNTED.map((k) => [k, next[k] - (prev?.[k] ?? 0)])) as Counts,
        );
      }
      if (prev?.firstResponseTenths != null) addToHistogram(prev.providerId, prev.month, prev.firstResponseTenths, -1);
      if (next.firstResponseTenths != null) addToHistogram(next.providerId, next.month, next.firstResponseTenths, 1);
      write.run({ complaintId, ...next });
      return true;
    },
  };
}

/** Recounts the aggregates from case_stats: after a bulk import, and as the reference the running sums must equal. */
export function rebuildAggregates(tx: Db): void {
  tx.run(sql`DELETE FROM provider_month_stats`);
  tx.run(sql`DELETE FROM provider_response_hist`);
  tx.run(sql`INSERT INTO provider_month_stats (provider_id, month, complaints, replied, first_response_decided,
      first_response_on_time, finished, resolved, rating_points, rating_parts)
    SELECT provider_id, month, sum(forwarded), sum(replied), sum(first_response_decided), sum(first_response_on_time),
      sum(finished), sum(resolved), sum(rating_points), sum(rating_parts)
    FROM case_stats GROUP BY provider_id, month
    HAVING sum(forwarded) + sum(replied) + sum(first_response_decided) + sum(finished) + sum(rating_parts) > 0`);
  tx.run(sql`INSERT INTO provider_response_hist (provider_id, month, tenths, n)
    SELECT provider_id, month, first_response_tenths, count(*) FROM case_stats
    WHERE first_response_tenths IS NOT NULL GROUP BY provider_id, month, first_response_tenths`);
}
