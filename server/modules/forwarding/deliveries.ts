// Deliveries of one complaint as shown in its private view. Delivery errors (URLs, SMTP replies) are for the
// platform and the provider; the consumer sees channel and status.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { preparedPer } from '../../db/statement-cache.ts';
import type { Actor } from '../../lib/ctx.ts';
import { outbox, type OutboxRow } from '../outbox/schema.ts';
import { CHANNEL_LABELS, type DeliveryChannel } from './channels.ts';

export const DELIVERY_TOPIC = 'delivery';

/** Read on every private view of a complaint: prepared once per connection handle. */
const rowsOf = preparedPer((db: Db) =>
  db
    .select()
    .from(outbox)
    .where(and(eq(outbox.topic, DELIVERY_TOPIC), eq(outbox.complaintId, sql.placeholder('id'))))
    .orderBy(asc(outbox.id))
    .prepare(),
);

export function deliveryRows(db: Db, complaintId: number): OutboxRow[] {
  return rowsOf(db).all({ id: complaintId });
}

export function toDeliveryViews(rows: OutboxRow[], actor: Actor) {
  const seesErrors = actor.role !== 'consumer';
  return rows.map((r) => ({
    channel: r.channel as DeliveryChannel,
    channelLabel: CHANNEL_LABELS[r.channel as DeliveryChannel] ?? r.channel,
    status: r.status,
    // A row an operator holds is waiting for a call (or research), not being sent by a machine.
    withOperator: r.status === 'sending' && r.claimedBy === 'operator',
    attempts: r.attempts,
    lastError: seesErrors ? r.lastError : null,
    doneAt: r.doneAt === null ? null : new Date(r.doneAt).toISOString(),
  }));
}
