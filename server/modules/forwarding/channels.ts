// Which channels a provider is forwarded through, and how each is named to people. Pure.
import type { Provider, ProviderChannel, WebhookChannelConfig, EmailChannelConfig } from '../providers/schema.ts';

export const DELIVERY_CHANNELS = ['portal', 'webhook', 'email', 'hotline', 'research'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
/** Channels worked by a person (an operator) rather than sent by the worker. */
export const OPERATOR_CHANNELS: readonly DeliveryChannel[] = ['hotline', 'research'];

export const CHANNEL_LABELS: Record<DeliveryChannel, string> = {
  portal: '商家工作台',
  webhook: 'Webhook 推送',
  email: '邮件',
  hotline: '电话转交',
  research: '待核实联系方式',
};

export interface ProviderContacts {
  webhook: WebhookChannelConfig | null;
  email: EmailChannelConfig | null;
  hotline: string | null;
}

export function contactsOf(provider: Provider, channels: ProviderChannel[]): ProviderContacts {
  const enabled = channels.filter((c) => c.enabled);
  const webhook = enabled.find((c) => c.kind === 'webhook')?.config as WebhookChannelConfig | undefined;
  const email = enabled.find((c) => c.kind === 'email')?.config as EmailChannelConfig | undefined;
  return { webhook: webhook ?? null, email: email ?? null, hotline: provider.hotline };
}

/**
 * portal always; webhook and e-mail when configured; the hotline only when there is no electronic channel (a call
 * is the slow, manual path); and when there is no contact at all, an operator researches one.
 */
export function channelsFor(contacts: ProviderContacts): DeliveryChannel[] {
  const out: DeliveryChannel[] = ['portal'];
  if (contacts.webhook) out.push('webhook');
  if (contacts.email) out.push('email');
  if (!contacts.webhook && !contacts.email) out.push(contacts.hotline ? 'hotline' : 'research');
  return out;
}

/** How the timeline names a delivery: 支付宝（邮件 complaints@…）, 支付宝 95188（电话转交…）. */
export function deliveredText(providerName: string, channel: DeliveryChannel, contacts: ProviderContacts): string {
  switch (channel) {
    case 'portal':
      return `已转交 ${providerName}（商家工作台）`;
    case 'webhook':
      return `已转交 ${providerName}（Webhook 推送）`;
    case 'email':
      return `已转交 ${providerName}（邮件 ${contacts.email?.to ?? ''}）`;
    case 'hotline':
      return `已电话告知 ${providerName} ${contacts.hotline ?? ''}（电话转交）`;
    case 'research':
      return `已核实 ${providerName} 的联系方式`;
  }
}

export function handedOffText(
  providerName: string,
  channel: DeliveryChannel,
  payload: { hotline?: string | null },
): string {
  return channel === 'hotline'
    ? `已转交 ${providerName} ${payload.hotline ?? ''}（电话转交，待运营人员拨打）`
    : `${providerName} 的联系方式待核实，平台运营人员正在查找`;
}

/** The send "succeeded" without reaching anyone: e-mail with no SMTP_URL went to the local mail log only. */
export function notSentText(providerName: string, channel: DeliveryChannel): string {
  return `未能转交 ${providerName}（${CHANNEL_LABELS[channel]}）：平台未配置邮件服务器，邮件未发出（仅记录在本地）`;
}

export function deadText(providerName: string, channel: DeliveryChannel, attempts: number): string {
  return `转交 ${providerName}（${CHANNEL_LABELS[channel]}）未成功：已尝试 ${attempts} 次，平台将人工跟进`;
}
