// The audit log of what admins (and providers' managers) did to accounts, providers and settings: who, what, when,
// and the record before and after. Written in the same transaction as the change it describes.
import { desc, eq, and, lt } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { personOf, type Ctx } from '../../lib/ctx.ts';
import { auditLog } from './schema.ts';

export interface AuditEntry {
  action: string;
  targetType: 'user' | 'provider' | 'setting' | 'staff';
  targetId: string | number;
  before?: unknown;
  after?: unknown;
}

export function auditService(db: Db) {
  return {
    record(ctx: Ctx, e: AuditEntry): void {
      (ctx.tx ?? db)
        .insert(auditLog)
        .values({
          actorId: personOf(ctx)?.id ?? null,
          action: e.action,
          targetType: e.targetType,
          targetId: String(e.targetId),
          before: e.before ?? null,
          after: e.after ?? null,
          at: ctx.clock.now(),
        })
        .run();
    },

    /** Newest first, keyset by id; optionally one target's history. */
    list(opts: { before?: number; limit?: number; targetType?: string; targetId?: string } = {}) {
      const where = [];
      if (opts.before) where.push(lt(auditLog.id, opts.before));
      if (opts.targetType) where.push(eq(auditLog.targetType, opts.targetType));
      if (opts.targetId) where.push(eq(auditLog.targetId, opts.targetId));
      return db
        .select()
        .from(auditLog)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(Math.min(opts.limit ?? 50, 200))
        .all();
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
