// The provider directory: listing, matching a consumer's free text to a provider, and admin edits.
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { Invalid, NotFound } from '../../lib/errors.ts';
import {
  providerChannels,
  providers,
  type EmailChannelConfig,
  type Provider,
  type ProviderChannel,
  type WebhookChannelConfig,
} from './schema.ts';
import { SEED_PROVIDERS } from './seed.ts';
import type { ProviderInput } from './input.ts';
import { FILEABLE, OTHER_PROVIDER, isListed, isPublicFilter } from './states.ts';
import { auditService } from '../accounts/audit.ts';
import { providerSnapshot } from './snapshot.ts';

/** Lower-case, width-folded, without spaces: 'WeChat Pay' and 'wechatpay' and 'ＷｅＣｈａｔ' match. */
export const foldName = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_·.]/g, '');

export function slugFor(name: string): string {
  const folded = name.normalize('NFKC');
  const ascii = folded
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  // Pure-ASCII names read well as slugs; Chinese names get a stable hash instead of a transliteration guess.
  if (/^[\x20-\x7e]+$/.test(folded) && ascii.length >= 2) return ascii.slice(0, 40);
  return `p-${createHash('sha256').update(foldName(name)).digest('hex').slice(0, 10)}`;
}

function matchIn(list: readonly Provider[], text: string): Provider | null {
  const key = foldName(text);
  if (!key) return null;
  return (
    list.find((p) => p.slug === text.trim()) ??
    list.find((p) => foldName(p.name) === key) ??
    list.find((p) => p.aliases.some((a) => foldName(a) === key)) ??
    null
  );
}

export function providerService(db: Db) {
  // Admins' edits are written to the audit log in their transaction, before and after (no webhook secret).
  const audit = auditService(db);
  const snapshotIn = (tx: Db, p: Provider) =>
    providerSnapshot(p, tx.select().from(providerChannels).where(eq(providerChannels.providerId, p.id)).all());
  // Read several times by every board page and every filing: prepared once (building the query cost more than
  // running it on a directory of a few dozen rows).
  const inIdOrder = (where?: SQL) => db.select().from(providers).where(where).orderBy(asc(providers.id)).prepare();
  const oneBy = (column: typeof providers.id | typeof providers.slug) =>
    db
      .select()
      .from(providers)
      .where(eq(column, sql.placeholder('key')))
      .prepare();
  const allStmt = inIdOrder();
  const listedStmt = inIdOrder(eq(providers.status, 'listed'));
  const fileableStmt = inIdOrder(inArray(providers.status, [...FILEABLE]));
  const bySlugStmt = oneBy(providers.slug);
  const byIdStmt = oneBy(providers.id);
  const all = (): Provider[] => allStmt.all();
  const listed = (): Provider[] => listedStmt.all();
  const fileable = (): Provider[] => fileableStmt.all();
  const bySlug = (slug: string): Provider | undefined => bySlugStmt.get({ key: slug });

  // Read for every complaint forwarded and every delivery sent: prepared once.
  const channelsStmt = db
    .select()
    .from(providerChannels)
    .where(eq(providerChannels.providerId, sql.placeholder('id')))
    .prepare();

  function channelsOf(providerId: number): ProviderChannel[] {
    return channelsStmt.all({ id: providerId });
  }

  function setChannels(tx: Db, providerId: number, channels: ProviderInput['channels'], now: number) {
    if (!channels) return;
    for (const kind of ['webhook', 'email'] as const) {
      if (!(kind in channels)) continue;
      tx.delete(providerChannels)
        .where(and(eq(providerChannels.providerId, providerId), eq(providerChannels.kind, kind)))
        .run();
      const cfg = channels[kind];
      if (cfg)
        tx.insert(providerChannels).values({ providerId, kind, config: cfg, enabled: true, createdAt: now }).run();
    }
  }

  return {
    /** The public directory: listed providers only (pending, rejected and merged names are never public). */
    list: listed,
    /** Every row, whatever its review state (the import script, admin pages). */
    all,
    bySlug,
    channelsOf,

    /** A slug a public surface may show or filter by: a listed provider or 其他机构; undefined otherwise. */
    publicBySlug(slug: string): Provider | undefined {
      const p = bySlug(slug);
      return p && isPublicFilter(p) ? p : undefined;
    },

    /** A listed provider's public page and scorecard; anything else is 404, as if it did not exist. */
    getListed(slug: string): Provider {
      const p = this.getListedOrNull(slug);
      if (!p) throw new NotFound('找不到该机构');
      return p;
    },

    getListedOrNull(slug: string): Provider | null {
      const p = bySlug(slug);
      return p && isListed(p) ? p : null;
    },

    /** The reserved pseudo-provider under which unlisted providers' cases appear. */
    other(): Provider {
      const p = bySlug(OTHER_PROVIDER.slug);
      if (!p) throw new Error('provider "other" missing: migration 0005 not applied');
      return p;
    },

    byId(id: number): Provider | undefined {
      return byIdStmt.get({ key: id });
    },

    get(slug: string): Provider {
      const p = bySlug(slug);
      if (!p) throw new NotFound('找不到该机构');
      return p;
    },

    /**
     * Slug, exact name or alias, among the names a complaint may be filed against (listed first, then names already
     * pending or rejected, so the same typo does not make a second pending entry); null when nothing matches.
     */
    match(text: string): Provider | null {
      return matchIn(fileable(), text);
    },

    /** Like match(), but only listed providers: what a public answer (similar cases, suggestions) may name. */
    matchListed(text: string): Provider | null {
      return matchIn(listed(), text);
    },

    /**
     * A consumer may name any provider: a name that matches nothing becomes a pending provider, private until an
     * admin verifies, merges or rejects it (review.ts); meanwhile its complaints go through the operator queue.
     */
    resolveOrCreate(ctx: Ctx, text: string): Provider {
      const found = this.match(text);
      if (found) return found;
      const name = text.normalize('NFKC').trim().replace(/\s+/g, ' ');
      const now = ctx.clock.now();
      const db2 = ctx.tx ?? db;
      let slug = slugFor(name);
      if (bySlug(slug)) slug = `${slug}-${createHash('sha256').update(name).digest('hex').slice(0, 6)}`;
      return db2
        .insert(providers)
        .values({
          slug,
          name,
          aliases: [],
          hotline: null,
          contactSource: `消费者投诉时填写（${new Date(now).toISOString().slice(0, 10)}），待核实`,
          lastVerifiedAt: null,
          verified: false,
          website: null,
          status: 'pending',
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
    },

    create(ctx: Ctx, input: ProviderInput & { slug: string; name: string }): Provider {
      if (bySlug(input.slug)) throw new Invalid({ slug: '该标识已被使用' }, 'SLUG_TAKEN');
      const now = ctx.clock.now();
      return db.transaction((tx) => {
        const p = tx
          .insert(providers)
          .values({
            slug: input.slug,
            name: input.name,
            aliases: input.aliases ?? [],
            hotline: input.hotline ?? null,
            contactSource: input.contactSource ?? null,
            lastVerifiedAt: input.lastVerifiedAt ?? (input.contactSource ? now : null),
            verified: input.verified ?? true,
            website: input.website ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning()
          .get();
        setChannels(tx, p.id, input.channels, now);
        audit.record(
          { ...ctx, tx },
          { action: 'provider.create', targetType: 'provider', targetId: p.slug, after: snapshotIn(tx, p) },
        );
        return p;
      });
    },

    update(ctx: Ctx, slug: string, input: ProviderInput): Provider {
      const existing = this.get(slug);
      const now = ctx.clock.now();
      return db.transaction((tx) => {
        const before = snapshotIn(tx, existing);
        const patch: Partial<Provider> = { updatedAt: now };
        if (input.name !== undefined) patch.name = input.name;
        if (input.aliases !== undefined) patch.aliases = input.aliases;
        if (input.hotline !== undefined) patch.hotline = input.hotline;
        if (input.website !== undefined) patch.website = input.website;
        if (input.contactSource !== undefined) {
          patch.contactSource = input.contactSource;
          patch.lastVerifiedAt = input.lastVerifiedAt ?? now;
        } else if (input.lastVerifiedAt !== undefined) patch.lastVerifiedAt = input.lastVerifiedAt;
        if (input.verified !== undefined) patch.verified = input.verified;
        const p = tx.update(providers).set(patch).where(eq(providers.id, existing.id)).returning().get();
        setChannels(tx, p.id, input.channels, now);
        audit.record(
          { ...ctx, tx },
          { action: 'provider.update', targetType: 'provider', targetId: p.slug, before, after: snapshotIn(tx, p) },
        );
        return p;
      });
    },

    /** Inserts the seeded directory once; never overwrites what an admin has corrected since. */
    seed(ctx: Ctx): void {
      const now = ctx.clock.now();
      for (const s of SEED_PROVIDERS) {
        db.insert(providers)
          .values({
            ...s,
            verified: s.verified ?? true,
            lastVerifiedAt: s.verified === false ? null : now,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing({ target: providers.slug })
          .run();
      }
      // Migration 0005 inserts it too; a database restored from before it still gets one here.
      db.insert(providers)
        .values({
          ...OTHER_PROVIDER,
          aliases: [],
          hotline: null,
          contactSource: null,
          lastVerifiedAt: null,
          verified: false,
          website: null,
          status: 'reserved',
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: providers.slug })
        .run();
    },
  };
}

export type ProviderService = ReturnType<typeof providerService>;
export type { WebhookChannelConfig, EmailChannelConfig };
