// The admin's list of providers: every row whatever its review state, found by name or slug, with how many staff
// accounts each has. Editing is the existing edit page's (forwarding/routes-provider-edit.ts).
import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { providers, type Provider } from '../providers/schema.ts';
import { requireAdmin } from './users-service.ts';

export const PROVIDERS_PAGE = 50;

export interface ProviderListFilter {
  q?: string | null;
  verified?: 'yes' | 'no' | '' | null;
  /** Keyset: the last id of the previous page. */
  after?: number | null;
}

export function providerListService(db: Db) {
  // Qualified by hand: inside the subquery drizzle's bare column names would bind to users.
  const staffCount = sql<number>`(SELECT count(*) FROM users u WHERE u.provider_id = providers.id
    AND u.role = 'provider_staff')`;
  return {
    list(ctx: Ctx, f: ProviderListFilter): { items: (Provider & { staff: number })[]; nextAfter: number | null } {
      requireAdmin(ctx);
      const where: SQL[] = [];
      const q = f.q?.trim();
      if (q) {
        const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
        where.push(
          or(
            sql`${providers.slug} LIKE ${`${escaped}%`} ESCAPE '\\'`,
            sql`${providers.name} LIKE ${`%${escaped}%`} ESCAPE '\\'`,
          )!,
        );
      }
      if (f.verified === 'yes') where.push(eq(providers.verified, true));
      if (f.verified === 'no') where.push(eq(providers.verified, false));
      if (f.after) where.push(gt(providers.id, f.after));
      const rows = db
        .select({ p: providers, staff: staffCount })
        .from(providers)
        .where(where.length ? and(...where) : undefined)
        .orderBy(asc(providers.id))
        .limit(PROVIDERS_PAGE + 1)
        .all();
      const more = rows.length > PROVIDERS_PAGE;
      const items = (more ? rows.slice(0, PROVIDERS_PAGE) : rows).map((r) => ({ ...r.p, staff: Number(r.staff) }));
      return { items, nextAfter: more ? items[items.length - 1]!.id : null };
    },
  };
}
