// The outbox handler for topic 'delivery': one sender per channel, and the timeline entry when a delivery is
// delivered, handed to an operator, or given up.
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { OutboxHandler, OutboxItem, SendResult } from '../outbox/registry.ts';
import type { ProviderService } from '../providers/service.ts';
import type { Timeline } from '../complaints/timeline.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { contactsOf, deadText, deliveredText, handedOffText, notSentText, type DeliveryChannel } from './channels.ts';
import { providerEmail, type DeliveryPayload } from './payload.ts';
import { writeDeliveryEvent } from './timeline.ts';
import { sendWebhook } from './webhook-sender.ts';

export interface DeliveryHandlerDeps {
  providers: ProviderService;
  mailer: Mailer;
  clock: Clock;
  timeline: Timeline;
  webhookTimeoutMs: number;
  /** Research done: plan the deliveries the newly found contacts allow. */
  onResearched(tx: Db, item: OutboxItem): void;
}

export function deliveryHandler(deps: DeliveryHandlerDeps): OutboxHandler {
  const contactsFor = (providerId: number) => {
    const provider = deps.providers.byId(providerId);
    return provider ? { provider, contacts: contactsOf(provider, deps.providers.channelsOf(providerId)) } : null;
  };

  return {
    async send(item, attempt): Promise<SendResult> {
      const p = item.payload as DeliveryPayload;
      const channel = item.channel as DeliveryChannel;
      const found = contactsFor(p.providerId);
      if (!found) return { ok: false, detail: '机构已不存在', retryable: false };
      const { provider, contacts } = found;
      switch (channel) {
        case 'portal':
          return { ok: true, detail: '已进入商家工作台' };
        case 'webhook':
          // Looked up at send time: a URL or secret an admin corrected applies to the next retry.
          if (!contacts.webhook) return { ok: false, detail: '该机构已没有 Webhook 渠道', retryable: false };
          return sendWebhook({
            url: contacts.webhook.url,
            secret: contacts.webhook.secret,
            body: p.complaint,
            idempotencyKey: item.idempotencyKey,
            nowMs: deps.clock.now(),
            timeoutMs: deps.webhookTimeoutMs,
            signal: attempt.signal,
          });
        case 'email': {
          if (!contacts.email) return { ok: false, detail: '该机构已没有投诉邮箱', retryable: false };
          const mail = providerEmail(p.complaint, provider.name);
          const r = await deps.mailer.send({ to: contacts.email.to, ...mail, key: item.idempotencyKey });
          return r.ok
            ? { ok: true, detail: `${contacts.email.to}：${r.detail}` }
            : { ...r, detail: `${contacts.email.to}：${r.detail}` };
        }
        case 'hotline':
          return {
            handoff: true,
            detail: `已生成电话转交任务：拨打 ${provider.hotline ?? p.hotline ?? '（号码待补充）'}`,
          };
        case 'research':
          return { handoff: true, detail: '待核实机构：请查找联系方式' };
        default:
          return { ok: false, detail: `未知的转交渠道「${String(channel)}」`, retryable: false };
      }
    },

    onDone(tx, item) {
      const p = item.payload as DeliveryPayload;
      const found = contactsFor(p.providerId);
      const channel = item.channel as DeliveryChannel;
      if (channel === 'email' && deps.mailer.mode === 'file') {
        // Without SMTP_URL the mail only went to the local log: the provider was not reached, and the record says so.
        writeDeliveryEvent(deps.timeline, deps.clock.now(), {
          complaintId: item.complaintId!,
          outboxId: item.id,
          channel,
          body: notSentText(found?.provider.name ?? p.providerName, channel),
          result: 'not_sent',
        });
        return;
      }
      const body = deliveredText(
        found?.provider.name ?? p.providerName,
        channel,
        found?.contacts ?? { webhook: null, email: null, hotline: p.hotline },
      );
      // The operator's own note stays in the attempt record (admins); the consumer's timeline gets the plain fact.
      writeDeliveryEvent(deps.timeline, deps.clock.now(), {
        complaintId: item.complaintId!,
        outboxId: item.id,
        channel,
        body,
        result: 'delivered',
      });
      if (channel === 'research') deps.onResearched(tx, item);
    },

    onHandoff(_tx, item) {
      const p = item.payload as DeliveryPayload;
      const channel = item.channel as DeliveryChannel;
      writeDeliveryEvent(deps.timeline, deps.clock.now(), {
        complaintId: item.complaintId!,
        outboxId: item.id,
        channel,
        body: handedOffText(p.providerName, channel, p),
        result: 'handed_off',
      });
    },

    onDead(_tx, item) {
      const p = item.payload as DeliveryPayload;
      const channel = item.channel as DeliveryChannel;
      const attempts = Math.max(item.attempts, 1);
      writeDeliveryEvent(deps.timeline, deps.clock.now(), {
        complaintId: item.complaintId!,
        outboxId: item.id,
        channel,
        body: deadText(p.providerName, channel, attempts),
        result: 'failed',
      });
    },
  };
}
