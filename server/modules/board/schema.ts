import { sqliteTable, integer, real, text, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { complaints } from '../complaints/schema.ts';
import { providers } from '../providers/schema.ts';
import type { PublicCase } from './public-case.ts';

/**
 * The materialised public view: one row per case on the board, written in the transaction of the change that made it
 * (approval, a public event, an admin edit) and deleted on takedown. Pages, JSON, CSV, feeds and search documents read
 * `doc` and nothing else; the other columns exist for ordering and filtering without parsing it.
 */
export const publicCases = sqliteTable(
  'public_cases',
  {
    complaintId: integer('complaint_id')
      .primaryKey()
      .references(() => complaints.id),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    category: text('category').notNull(),
    status: text('status').notNull(),
    amountFen: integer('amount_fen'),
    /** Start of the filing day in China time (epoch ms): public dates go to the day, never the minute. */
    filedAt: integer('filed_at').notNull(),
    overdue: integer('overdue', { mode: 'boolean' }).notNull(),
    /** Outcome, for the statistics beside similar cases. */
    resolved: integer('resolved', { mode: 'boolean' }).notNull(),
    refunded: integer('refunded', { mode: 'boolean' }).notNull(),
    /** Days from filing to the consumer's confirmation, one decimal. */
    resolutionDays: real('resolution_days'),
    doc: text('doc', { mode: 'json' }).$type<PublicCase>().notNull(),
    /** Bumped on every rewrite; search sync keys carry it so a retried sync is recognised. */
    version: integer('version').notNull(),
    publishedAt: integer('published_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('public_cases_filed_idx').on(t.filedAt, t.complaintId),
    index('public_cases_provider_idx').on(t.providerId, t.filedAt, t.complaintId),
    // What the panel beside similar cases reads of its 50 cases (reader.ts, INDEXED BY): a few dozen bytes an entry,
    // so the whole index stays in SQLite's page cache, where the table's rows (each with its document) cannot.
    index('public_cases_outcome_idx').on(t.complaintId, t.status, t.overdue, t.resolved, t.refunded, t.resolutionDays),
  ],
);

/**
 * What one complaint contributes to its provider's scorecard, derived from its timeline by stats.ts. Kept so that a
 * change can be applied to the aggregates as a difference (new minus old) instead of recounting a million cases.
 */
export const caseStats = sqliteTable('case_stats', {
  complaintId: integer('complaint_id')
    .primaryKey()
    .references(() => complaints.id),
  providerId: integer('provider_id').notNull(),
  /** Filing month in China time, YYYY-MM. */
  month: text('month').notNull(),
  forwarded: integer('forwarded').notNull(),
  replied: integer('replied').notNull(),
  firstResponseDecided: integer('first_response_decided').notNull(),
  firstResponseOnTime: integer('first_response_on_time').notNull(),
  /** Hours from forwarding to the first answer, in tenths of an hour; null while unanswered. */
  firstResponseTenths: integer('first_response_tenths'),
  finished: integer('finished').notNull(),
  resolved: integer('resolved').notNull(),
  ratingPoints: integer('rating_points').notNull(),
  ratingParts: integer('rating_parts').notNull(),
});

/** Per provider and filing month: sums of case_stats, maintained by difference. */
export const providerMonthStats = sqliteTable(
  'provider_month_stats',
  {
    providerId: integer('provider_id').notNull(),
    month: text('month').notNull(),
    complaints: integer('complaints').notNull(),
    replied: integer('replied').notNull(),
    firstResponseDecided: integer('first_response_decided').notNull(),
    firstResponseOnTime: integer('first_response_on_time').notNull(),
    finished: integer('finished').notNull(),
    resolved: integer('resolved').notNull(),
    ratingPoints: integer('rating_points').notNull(),
    ratingParts: integer('rating_parts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.month] })],
);

/** First-response times per provider and month as a histogram of tenths of an hour: the median without a sort. */
export const providerResponseHist = sqliteTable(
  'provider_response_hist',
  {
    providerId: integer('provider_id').notNull(),
    month: text('month').notNull(),
    tenths: integer('tenths').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.month, t.tenths] })],
);

export type PublicCaseRow = typeof publicCases.$inferSelect;
export type CaseStatsRow = typeof caseStats.$inferSelect;
