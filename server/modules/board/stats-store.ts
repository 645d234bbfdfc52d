// Scorecard aggregates maintained by difference: a case's new contribution minus its stored one is added to its
// provider's month row and response-time histogram, in the transaction of the change. rebuildAggregates() recounts
// everything from case_stats (after a bulk import, or to check the running sums).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { caseStats, type CaseStatsRow } from './schema.ts';
import type { CaseContribution } from './stats.ts';

const COUNTED = ['forwarded', 'replied', 'firstResponseDecided', 'firstResponseOnTime', 'finished', 'resolved', 'ratingPoints', 'ratingParts'] as const;

function addToMonth(tx: Db, providerId: number, month: string, d: Record<(typeof COUNTED)[number], number>): void {
  if (COUNTED.every((k) => d[k] === 0)) return;
  tx.run(sql`INSERT INTO provider_month_stats (provider_id, month, complaints, replied, first_response_decided,
      first_response_on_time, finished, resolved, rating_points, rating_parts)
    VALUES (${providerId}, ${month}, ${d.forwarded}, ${d.replied}, ${d.firstResponseDecided}, ${d.firstResponseOnTime},
      ${d.finished}, ${d.resolved}, ${d.ratingPoints}, ${d.ratingParts})
    ON CONFLICT (provider_id, month) DO UPDATE SET complaints = complaints + excluded.complaints,
      replied = replied + excluded.replied, first_response_decided = first_response_decided + excluded.first_response_decided,
      first_response_on_time = first_response_on_time + excluded.first_response_on_time, finished = finished + excluded.finished,
      resolved = resolved + excluded.resolved, rating_points = rating_points + excluded.rating_points,
      rating_parts = rating_parts + excluded.rating_parts`);
}

function addToHistogram(tx: Db, providerId: number, month: string, tenths: number, n: number): void {
  tx.run(sql`INSERT INTO provider_response_hist (provider_id, month, tenths, n) VALUES (${providerId}, ${month}, ${tenths}, ${n})
    ON CONFLICT (provider_id, month, tenths) DO UPDATE SET n = n + excluded.n`);
  if (n < 0) tx.run(sql`DELETE FROM provider_response_hist WHERE provider_id = ${providerId} AND month = ${month} AND tenths = ${tenths} AND n <= 0`);
}

const asContribution = (r: CaseStatsRow): CaseContribution => ({ ...r });

/** Stores the case's contribution and moves the aggregates by the difference. Returns whether anything changed. */
export function applyContribution(tx: Db, complaintId: number, next: CaseContribution): boolean {
  const row = tx.select().from(caseStats).where(sql`${caseStats.complaintId} = ${complaintId}`).get();
  const prev = row ? asContribution(row) : null;
  const same = prev && prev.providerId === next.providerId && prev.month === next.month && prev.firstResponseTenths === next.firstResponseTenths
    && COUNTED.every((k) => prev[k] === next[k]);
  if (same) return false;
  const neg = (c: CaseContribution) => Object.fromEntries(COUNTED.map((k) => [k, -c[k]])) as Record<(typeof COUNTED)[number], number>;
  const pos = (c: CaseContribution) => Object.fromEntries(COUNTED.map((k) => [k, c[k]])) as Record<(typeof COUNTED)[number], number>;
  if (prev && (prev.providerId !== next.providerId || prev.month !== next.month)) {
    addToMonth(tx, prev.providerId, prev.month, neg(prev));
    addToMonth(tx, next.providerId, next.month, pos(next));
  } else {
    const d = Object.fromEntries(COUNTED.map((k) => [k, next[k] - (prev?.[k] ?? 0)])) as Record<(typeof COUNTED)[number], number>;
    addToMonth(tx, next.providerId, next.month, d);
  }
  if (prev?.firstResponseTenths != null) addToHistogram(tx, prev.providerId, prev.month, prev.firstResponseTenths, -1);
  if (next.firstResponseTenths != null) addToHistogram(tx, next.providerId, next.month, next.firstResponseTenths, 1);
  tx.insert(caseStats).values({ complaintId, ...next })
    .onConflictDoUpdate({ target: caseStats.complaintId, set: { ...next } }).run();
  return true;
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
