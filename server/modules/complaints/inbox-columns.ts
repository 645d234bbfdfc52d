// The merchant inbox's sort and filter keys as VIRTUAL generated columns of complaints (computed on read, stored only
// in their indexes), so every writer (lifecycle, scheduler's raw UPDATEs, bulk import) keeps them right without
// knowing they exist, and the inbox reads a page straight off an index instead of sorting a CASE over every row.
// Built from the named state sets; changing a set changes these expressions, and drizzle-kit then wants a migration.
import { sql } from 'drizzle-orm';
import { AWAITING_CONSUMER, AWAITING_PROVIDER, FINISHED, OPEN_WITH_PROVIDER, type Status } from './states.ts';

/** The tabs a case can sit in (besides 已超时, which cuts across them, and 全部). */
export const INBOX_TABS = ['todo', 'consumer', 'closed'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

const list = (s: readonly Status[]) => sql.raw(s.map((x) => `'${x}'`).join(', '));

/**
 * todo: the provider must act (clock running); consumer: waiting on the consumer; closed: finished; NULL: never
 * forwarded to the provider (under review, rejected, or withdrawn before review: complaints/scope.ts).
 */
export const inboxTabExpr = sql`CASE
  WHEN forwarded_at IS NULL THEN NULL
  WHEN status IN (${list(AWAITING_PROVIDER)}) AND resolution_paused_at IS NULL THEN 'todo'
  WHEN status IN (${list([...AWAITING_PROVIDER, ...AWAITING_CONSUMER])}) THEN 'consumer'
  WHEN status IN (${list(FINISHED)}) THEN 'closed' END`;

/** 1 while the case is open with the provider and a deadline was breached, else NULL (so a partial index stays small). */
export const inboxOverdueExpr = sql`CASE
  WHEN status IN (${list(OPEN_WITH_PROVIDER)}) AND (first_response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL) THEN 1 END`;

/**
 * The tab's sort key: the deadline being worked against (as sla/deadlines.ts currentDeadline: first response until
 * answered, then resolution), the auto-close time while awaiting the consumer, the finishing time once finished
 * (read newest first). Never NULL, so keyset cursors need no NULL rules.
 */
export const inboxDueExpr = sql`CASE
  WHEN status IN (${list(OPEN_WITH_PROVIDER)}) AND first_response_at IS NULL AND first_response_due_at IS NOT NULL THEN first_response_due_at
  WHEN status IN (${list(AWAITING_PROVIDER)}) AND resolution_paused_at IS NULL AND resolution_due_at IS NOT NULL THEN resolution_due_at
  WHEN status IN (${list(OPEN_WITH_PROVIDER)}) THEN coalesce(auto_close_at, updated_at)
  ELSE coalesce(closed_at, resolved_at, updated_at) END`;
