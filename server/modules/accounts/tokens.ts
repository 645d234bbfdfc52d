// Single-use account tokens (password reset, e-mail verification, staff invitations, the second login step): the
// token goes to its holder once; only its sha256 is stored, so a copy of the database yields no working link.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { Invalid } from '../../lib/errors.ts';
import { accountTokens, type TokenPurpose } from './schema.ts';

/** Used or expired tokens are kept this long (so a second click says 已使用 rather than 无效), then swept. */
const DAY_MS = 24 * 3600_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function tokenService(db: Db) {
  return {
    /** A new token for this account and purpose; earlier unused tokens of the same purpose stop working. */
    issue(ctx: Ctx, userId: number, purpose: TokenPurpose, ttlMs: number): string {
      const token = randomBytes(32).toString('base64url');
      const now = ctx.clock.now();
      const tx = ctx.tx ?? db;
      tx.update(accountTokens)
        .set({ usedAt: now })
        .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)))
        .run();
      // Swept as new ones are issued: used or expired rows a day old serve nobody.
      tx.delete(accountTokens)
        .where(
          or(
            lt(accountTokens.expiresAt, now - DAY_MS),
            and(isNotNull(accountTokens.usedAt), lt(accountTokens.usedAt, now - DAY_MS)),
          ),
        )
        .run();
      tx.insert(accountTokens)
        .values({ userId, purpose, tokenHash: hashToken(token), createdAt: now, expiresAt: now + ttlMs })
        .run();
      return token;
    },

    /** The account a live token belongs to, without using it up (a page showing the form); null when not live. */
    peek(ctx: Ctx, token: unknown, purpose: TokenPurpose): number | null {
      if (typeof token !== 'string' || token.length < 20 || token.length > 100) return null;
      const row = (ctx.tx ?? db)
        .select()
        .from(accountTokens)
        .where(and(eq(accountTokens.tokenHash, hashToken(token)), eq(accountTokens.purpose, purpose)))
        .get();
      if (!row || row.usedAt !== null || row.expiresAt <= ctx.clock.now()) return null;
      return row.userId;
    },

    /** Uses the token up and answers its account; 400 TOKEN_INVALID when unknown, used, expired or of another purpose. */
    consume(ctx: Ctx, token: unknown, purpose: TokenPurpose, field = 'token'): number {
      const userId = this.peek(ctx, token, purpose);
      if (userId === null) throw new Invalid({ [field]: '链接无效或已过期，请重新申请' }, 'TOKEN_INVALID');
      const changed = (ctx.tx ?? db)
        .update(accountTokens)
        .set({ usedAt: ctx.clock.now() })
        .where(and(eq(accountTokens.tokenHash, hashToken(token as string)), isNull(accountTokens.usedAt)))
        .run().changes;
      if (changed !== 1) throw new Invalid({ [field]: '链接无效或已过期，请重新申请' }, 'TOKEN_INVALID');
      return userId;
    },
  };
}

export type TokenService = ReturnType<typeof tokenService>;
