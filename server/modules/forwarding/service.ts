// Forwarding: approval plans one delivery per channel of the provider (in the approving transaction); operators
// work the call and research tasks. Sending itself is the outbox worker's, through handler.ts.
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import type { PlatformAccess } from '../complaints/platform.ts';
import type { Timeline } from '../complaints/timeline.ts';
import type { NotificationService } from '../notifications/notify.ts';
import type { Outbox } from '../outbox/plugin.ts';
import type { ProviderService } from '../providers/service.ts';
import { and, eq, inArray } from 'drizzle-orm';
import { outbox } from '../outbox/schema.ts';
import { dueSentence, dueTimesOf } from '../sla/view-model.ts';
import { channelsFor, contactsOf, deliveredText, OPERATOR_CHANNELS, type DeliveryChannel } from './channels.ts';
import { DELIVERY_TOPIC } from './deliveries.ts';
import { callScript, complaintForProvider, type ContactOf, type DeliveryPayload } from './payload.ts';
import { writeDeliveryEvent } from './timeline.ts';

export interface ForwardingDeps {
  db: Db;
  outbox: Outbox;
  providers: ProviderService;
  notifications: NotificationService;
  timeline: Timeline;
  /** The complaints it forwards, read through the complaints module. */
  complaints: PlatformAccess;
  /** The consumer's name and address, when they agreed to share them (accounts' `get`). */
  contactOf: ContactOf;
  publicUrl: string;
}

export interface PlanResult {
  channels: DeliveryChannel[];
  created: number;
}

export function forwardingService(deps: ForwardingDeps) {
  /**
   * Puts one delivery per channel of the complaint's provider into the outbox, inside the caller's transaction
   * (part of approval). Idempotent: planning twice adds only channels not planned before (e.g. after research found
   * a contact). `round` separates a later forwarding of the same complaint (a reopen) from the first.
   * Also tells the provider's staff by e-mail that a new complaint is in their inbox (callers need not).
   */
  function planDeliveries(tx: Db, ctx: Ctx, complaintId: number, opts: { round?: string } = {}): PlanResult {
    const c = deps.complaints.complaint(complaintId);
    const provider = deps.providers.byId(c.providerId);
    if (!provider) throw new NotFound('找不到该机构');
    const contacts = contactsOf(provider, deps.providers.channelsOf(provider.id));
    const channels = channelsFor(contacts);
    const now = ctx.clock.now();
    const files = deps.complaints.attachmentIds(complaintId);
    const complaint = complaintForProvider(c, files, deps.contactOf, provider, deps.publicUrl, now);
    const base = {
      providerId: provider.id,
      providerName: provider.name,
      providerSlug: provider.slug,
      reference: c.reference,
      hotline: provider.hotline,
      complaint,
    };
    const suffix = opts.round ? `:${opts.round}` : '';
    let created = 0;
    for (const channel of channels) {
      const key = `delivery:${complaintId}:${channel}${suffix}`;
      const payload: DeliveryPayload =
        channel === 'hotline' ? { ...base, callScript: callScript(base, deps.publicUrl) } : base;
      if (channel === 'portal') {
        // The merchant inbox reads the complaint itself: it is there the moment this transaction commits.
        const id = deps.outbox.recordCompleted(
          tx,
          ctx,
          { topic: DELIVERY_TOPIC, complaintId, channel, payload, key },
          '已进入商家工作台',
        );
        if (id !== null) {
          created++;
          writeDeliveryEvent(deps.timeline, now, {
            complaintId,
            outboxId: id,
            channel,
            body: deliveredText(provider.name, channel, contacts),
            result: 'delivered',
          });
        }
        continue;
      }
      if (deps.outbox.enqueue(tx, ctx, { topic: DELIVERY_TOPIC, complaintId, channel, payload, key }) !== null)
        created++;
    }
    const due = dueTimesOf(c);
    deps.notifications.notify(tx, ctx, {
      complaintId,
      audience: 'provider_staff',
      kind: 'forwarded',
      key: `forwarded${suffix}`,
      subject: `【钱包投诉台】新投诉 ${c.reference}：${c.title}`,
      text: `${provider.name} 收到一件新投诉，${due ? `请在${dueSentence(due)}` : '请尽快处理'}。\n标题：${c.title}`,
    });
    return { channels, created };
  }

  /**
   * After the complaint's provider changed (a pending name merged into a listed provider): operator tasks still waiting
   * for the old name (research, a call) are closed, and the complaint is forwarded through its provider's channels now.
   */
  function reforward(tx: Db, ctx: Ctx, complaintId: number, reason: string): PlanResult | null {
    const waiting = tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.topic, DELIVERY_TOPIC),
          eq(outbox.complaintId, complaintId),
          inArray(outbox.channel, [...OPERATOR_CHANNELS]),
          inArray(outbox.status, ['pending', 'sending']),
        ),
      )
      .all();
    if (!waiting.length) return null;
    for (const row of waiting) deps.outbox.service.supersede(tx, ctx, row.id, reason);
    return planDeliveries(tx, ctx, complaintId, { round: `reforward-${ctx.clock.now()}` });
  }

  return { planDeliveries, reforward };
}

export type ForwardingService = ReturnType<typeof forwardingService>;
