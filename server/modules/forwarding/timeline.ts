// Delivery entries on the complaint's timeline, recorded by the platform through the complaints module's one timeline
// writer, in the same transaction as the outbox row's change (the caller's).
import { SYSTEM } from '../../lib/ctx.ts';
import type { Timeline } from '../complaints/timeline.ts';
import type { DeliveryChannel } from './channels.ts';

export function writeDeliveryEvent(
  timeline: Timeline,
  at: number,
  e: {
    complaintId: number;
    outboxId: number;
    channel: DeliveryChannel;
    body: string;
    result: 'delivered' | 'handed_off' | 'failed' | 'not_sent';
  },
) {
  timeline.append({
    complaintId: e.complaintId,
    type: 'delivery',
    actor: SYSTEM,
    body: e.body,
    data: { channel: e.channel, outboxId: e.outboxId, result: e.result },
    at,
  });
}
