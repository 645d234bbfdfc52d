// Tab counts of the merchant inbox, kept by triggers on complaints (migrations/0004_*.sql) so the inbox never counts
// per request and no writer (lifecycle, scheduler, import) can forget them. tab: todo, consumer, closed, overdue.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const inboxCounts = sqliteTable(
  'inbox_counts',
  {
    providerId: integer('provider_id').notNull(),
    tab: text('tab').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.tab] })],
);
