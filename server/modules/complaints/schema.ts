import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Codecs } from '../../db/codecs.ts';
import { users } from '../accounts/schema.ts';
import { providers } from '../providers/schema.ts';
import { STATUSES } from './states.ts';
import { inboxDueExpr, inboxOverdueExpr, inboxTabExpr, type InboxTab } from './inbox-columns.ts';
import { CATEGORIES } from './taxonomy.ts';

export const complaints = sqliteTable(
  'complaints',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reference: text('reference').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id),
    category: text('category', { enum: CATEGORIES }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    demands: text('demands', { mode: 'json' }).$type<string[]>().notNull(),
    amountFen: integer('amount_fen'),
    /** YYYY-MM-DD, the consumer's calendar day. */
    incidentDate: text('incident_date'),
    /** Never public. */
    transactionRef: text('transaction_ref'),
    contactPhone: text('contact_phone'),
    /** Consent to give the provider the consumer's contact details. */
    shareContact: integer('share_contact', { mode: 'boolean' }).notNull().default(false),
    consent: text('consent', { enum: ['public', 'private'] }).notNull(),
    status: text('status', { enum: STATUSES }).notNull(),
    /** Form nonce or Idempotency-Key: a double submit returns the first complaint instead of making a second. */
    submissionKey: text('submission_key'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    // Deadlines (server/modules/sla). All epoch ms; a stored column, never a timer in memory.
    /** When the case last went to the provider (approval, or a reopen: the clocks restart). */
    forwardedAt: integer('forwarded_at'),
    firstResponseAt: integer('first_response_at'),
    firstResponseDueAt: integer('first_response_due_at'),
    /** The effective resolution due time: shifted forward by every pause once it ends. */
    resolutionDueAt: integer('resolution_due_at'),
    firstResponseWarnedAt: integer('first_response_warned_at'),
    resolutionWarnedAt: integer('resolution_warned_at'),
    /** Overdue is a flag, not a state: set once, when the deadline passed. */
    firstResponseBreachedAt: integer('first_response_breached_at'),
    resolutionBreachedAt: integer('resolution_breached_at'),
    /** Set while awaiting the consumer: the resolution clock does not run. */
    resolutionPausedAt: integer('resolution_paused_at'),
    resolutionPausedMs: integer('resolution_paused_ms').notNull().default(0),
    resolvedAt: integer('resolved_at'),
    closedAt: integer('closed_at'),
    /** Awaiting the consumer: closes as closed_unconfirmed at this time. */
    autoCloseAt: integer('auto_close_at'),
    /** The soonest pending warning, breach or auto-close: the scheduler reads only this index. */
    nextDeadlineAt: integer('next_deadline_at'),
    // The merchant inbox's keys (inbox-columns.ts): virtual, never written.
    inboxTab: text('inbox_tab').$type<InboxTab>().generatedAlwaysAs(inboxTabExpr, { mode: 'virtual' }),
    inboxOverdue: integer('inbox_overdue').generatedAlwaysAs(inboxOverdueExpr, { mode: 'virtual' }),
    inboxDue: integer('inbox_due').generatedAlwaysAs(inboxDueExpr, { mode: 'virtual' }),
  },
  (t) => [
    index('complaints_user_idx').on(t.userId, t.createdAt),
    index('complaints_next_deadline_idx').on(t.nextDeadlineAt),
    index('complaints_provider_idx').on(t.providerId, t.status),
    index('complaints_status_idx').on(t.status),
    // One page of any inbox tab is one index range, already in order: (provider, tab, due, id).
    index('complaints_inbox_idx').on(t.providerId, t.inboxTab, t.inboxDue),
    index('complaints_inbox_overdue_idx').on(t.providerId, t.inboxDue).where(sql`inbox_overdue IS NOT NULL`),
    index('complaints_provider_created_idx').on(t.providerId, t.createdAt),
    uniqueIndex('complaints_submission_key_idx').on(t.userId, t.submissionKey),
  ],
);

/** The append-only timeline: every transition and message, who, what, when. */
export const complaintEvents = sqliteTable(
  'complaint_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    complaintId: integer('complaint_id')
      .notNull()
      .references(() => complaints.id),
    type: text('type').notNull(),
    actorRole: text('actor_role', { enum: ['consumer', 'provider_staff', 'admin', 'system'] }).notNull(),
    actorId: integer('actor_id'),
    body: text('body'),
    /** Status after the event, when the event changed it. */
    status: text('status'),
    /** Small structured extras (rating, reason, channel …). */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** Internal events (staff notes) are never shown to the consumer or the public. */
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('complaint_events_complaint_idx').on(t.complaintId, t.id)],
);

export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    complaintId: integer('complaint_id')
      .notNull()
      .references(() => complaints.id),
    /** The event (supplement …) that added it; null for files given at intake. */
    eventId: integer('event_id'),
    /** sha256 of the stored (metadata-stripped) bytes; also the file name on disk. */
    sha256: text('sha256').notNull(),
    mime: text('mime', { enum: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** The consumer's file name, cleaned for display only; never used as a path. */
    originalName: text('original_name').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('attachments_complaint_idx').on(t.complaintId)],
);

/** Daily sequence behind reference numbers like TS20261122-000123. */
export const referenceCounters = sqliteTable('reference_counters', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
});

/**
 * A consumer's unfinished filing form (its text fields, never files): one per consumer, restored on the form, deleted
 * once a complaint is filed. Private to its author; never shown anywhere else.
 */
export const complaintDrafts = sqliteTable('complaint_drafts', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  fields: text('fields', { mode: 'json' }).$type<Record<string, string | string[]>>().notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** The stored forms that differ from the model (for db/rows.ts readers). */
export const complaintCodecs = { demands: 'json', shareContact: 'boolean' } as const satisfies Codecs<
  typeof complaints
>;
export const complaintEventCodecs = { data: 'json', internal: 'boolean' } as const satisfies Codecs<
  typeof complaintEvents
>;

export type Complaint = typeof complaints.$inferSelect;
export type ComplaintEvent = typeof complaintEvents.$inferSelect;
export type Attachment = typeof attachments.$inferSelect;
