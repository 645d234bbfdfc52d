import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import type { Codecs } from '../../db/codecs.ts';

/**
 * listed: in the directory, named publicly. pending: a name a consumer typed that matched nothing, private until an
 * admin decides. rejected: spam or personal data, never public. merged: now an alias of `merged_into`. reserved: the
 * public pseudo-provider 其他机构, under which cases of unlisted providers appear.
 */
export const PROVIDER_STATUSES = ['listed', 'pending', 'rejected', 'merged', 'reserved'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

export const providers = sqliteTable(
  'providers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    /** JSON array of strings: other names readers and consumers use (工行, ICBC …). */
    aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull(),
    /** Public customer-service line; null when unknown (an operator must research it). */
    hotline: text('hotline'),
    /** Where the contact came from, and when someone last checked it. */
    contactSource: text('contact_source'),
    lastVerifiedAt: integer('last_verified_at'),
    /** Whether someone has checked the contact (hotline, source); false shows 待核实 beside a listed provider. */
    verified: integer('verified', { mode: 'boolean' }).notNull(),
    /** Review of the name itself (states.ts): only `listed` providers are named on any public surface. */
    status: text('status', { enum: PROVIDER_STATUSES }).notNull().default('listed'),
    /** For `merged`: the provider the name now points to (as an alias). */
    mergedInto: integer('merged_into'),
    /** When an admin verified, merged or rejected the name. */
    reviewedAt: integer('reviewed_at'),
    website: text('website'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('providers_status_idx').on(t.status)],
);

export const CHANNEL_KINDS = ['webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export interface WebhookChannelConfig {
  url: string;
  secret: string;
}
export interface EmailChannelConfig {
  to: string;
}

/** Extra forwarding channels. `portal` always exists; `hotline` follows from the hotline field. */
export const providerChannels = sqliteTable(
  'provider_channels',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    providerId: integer('provider_id')
      .notNull()
      .references(() => providers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CHANNEL_KINDS }).notNull(),
    config: text('config', { mode: 'json' }).$type<WebhookChannelConfig | EmailChannelConfig>().notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('provider_channels_provider_idx').on(t.providerId)],
);

export type Provider = typeof providers.$inferSelect;
export type ProviderChannel = typeof providerChannels.$inferSelect;

/** The stored forms that differ from the model (for db/rows.ts readers). */
export const providerCodecs = { aliases: 'json', verified: 'boolean' } as const satisfies Codecs<typeof providers>;
