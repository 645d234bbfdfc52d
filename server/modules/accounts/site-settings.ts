// Settings an admin changes while the site runs (two-factor required for staff, …): one JSON value per key, read
// through a small typed catalogue so a key cannot be misspelt and every setting has its default.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { siteSettings } from './schema.ts';

export const SETTING_DEFAULTS = {
  /** Admins must use two-factor authentication to sign in. */
  requireTotpForAdmins: false,
  /** Providers' staff must use two-factor authentication to sign in. */
  requireTotpForStaff: false,
};
export type SettingKey = keyof typeof SETTING_DEFAULTS;

export function siteSettingsService(db: Db) {
  // Read on every staff and admin request (the two-factor gate): prepared once.
  const byKey = db
    .select()
    .from(siteSettings)
    .where(eq(siteSettings.key, sql.placeholder('key')))
    .prepare();
  return {
    get<K extends SettingKey>(key: K): (typeof SETTING_DEFAULTS)[K] {
      const row = byKey.get({ key });
      return (row ? row.value : SETTING_DEFAULTS[key]) as (typeof SETTING_DEFAULTS)[K];
    },
    set<K extends SettingKey>(ctx: Ctx, key: K, value: (typeof SETTING_DEFAULTS)[K]): void {
      (ctx.tx ?? db)
        .insert(siteSettings)
        .values({ key, value, updatedAt: ctx.clock.now() })
        .onConflictDoUpdate({ target: siteSettings.key, set: { value, updatedAt: ctx.clock.now() } })
        .run();
    },
  };
}

export type SiteSettingsService = ReturnType<typeof siteSettingsService>;
