// Every complaint query goes through this condition: consumers reach their own, provider staff their provider's,
// admins all. Nobody else reaches any. Services build their WHERE from it rather than checking afterwards.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../lib/ctx.ts';
import { complaints } from './schema.ts';

export function visibleTo(actor: Actor | null): SQL {
  if (!actor) return sql`0`;
  switch (actor.role) {
    case 'admin': return sql`1`;
    case 'consumer': return eq(complaints.userId, actor.id);
    case 'provider_staff':
      // Staff see a case only once it has been forwarded to them, never a draft under moderation.
      return actor.providerId === null ? sql`0`
        : and(eq(complaints.providerId, actor.providerId), sql`${complaints.status} NOT IN ('submitted', 'rejected')`)!;
  }
}

export function scoped(actor: Actor | null, ...conds: (SQL | undefined)[]): SQL {
  return and(visibleTo(actor), ...conds)!;
}
