// What the outside world sees of a provider. Channel secrets never leave the server.
import type { Provider } from './schema.ts';

export const toPublicProvider = (p: Provider) => ({
  slug: p.slug,
  name: p.name,
  aliases: p.aliases,
  hotline: p.hotline,
  verified: p.verified,
  contactSource: p.contactSource,
  lastVerifiedAt: p.lastVerifiedAt ? new Date(p.lastVerifiedAt).toISOString() : null,
});
