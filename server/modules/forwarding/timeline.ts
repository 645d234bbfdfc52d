// Delivery entries on the complaint's timeline, written in the same transaction as the outbox row's change.
import type { Db } from '../../db/database.ts';
import { complaintEvents } from '../complaints/schema.ts';
import type { DeliveryChannel } from './channels.ts';

export function writeDeliveryEvent(tx: Db, at: number, e: { complaintId: number; outboxId: number; channel: DeliveryChannel; body: string; result: 'delivered' | 'handed_off' | 'failed' | 'not_sent' }) {
  tx.insert(complaintEvents).values({
    complaintId: e.complaintId, type: 'delivery', actorRole: 'system', actorId: null, body: e.body, status: null,
    data: { channel: e.channel, outboxId: e.outboxId, result: e.result }, internal: false, createdAt: at,
  }).run();
}
