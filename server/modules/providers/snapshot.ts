// What the audit log keeps of a provider before and after an admin's change: its directory fields and channels,
// with the webhook secret reduced to whether one is set.
import type { Provider, ProviderChannel, WebhookChannelConfig, EmailChannelConfig } from './schema.ts';

export function providerSnapshot(p: Provider, channels: ProviderChannel[]) {
  const webhook = channels.find((c) => c.kind === 'webhook')?.config as WebhookChannelConfig | undefined;
  const email = channels.find((c) => c.kind === 'email')?.config as EmailChannelConfig | undefined;
  return {
    slug: p.slug,
    name: p.name,
    aliases: p.aliases,
    hotline: p.hotline,
    website: p.website,
    contactSource: p.contactSource,
    verified: p.verified,
    status: p.status,
    channels: {
      email: email ? { to: email.to } : null,
      webhook: webhook ? { url: webhook.url, secretSet: !!webhook.secret } : null,
    },
  };
}
