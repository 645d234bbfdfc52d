// E-mail verification: the link mailed at registration (and again on request) proves the person reads that mailbox, so
// notifications and a password reset can reach them. An unverified account works as any other; it is only marked
// (the moderation queue's 未验证邮箱, a banner on the consumer's own pages).
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { AppError, Conflict, NotFound } from '../../lib/errors.ts';
import type { AccountMailer } from '../notifications/account-mail.ts';
import { accountTokens, users, type User } from './schema.ts';
import { hashToken, type TokenService } from './tokens.ts';

const HOUR_MS = 3600_000;
export const VERIFY_TTL_MS = 7 * 24 * HOUR_MS;
/** Links mailed to one account per hour, the one sent at registration included: a resend button is not a mail cannon. */
export const VERIFY_MAILS_PER_HOUR = 3;

export interface VerificationDeps {
  db: Db;
  tokens: TokenService;
  mail: AccountMailer;
  publicUrl: string;
}

export function verificationService(deps: VerificationDeps) {
  const { db, tokens, mail, publicUrl } = deps;

  /** In the caller's transaction when it holds one (an admin's audited resend), else in its own. */
  function mailLink(ctx: Ctx, user: Pick<User, 'id' | 'email' | 'displayName'>): void {
    const run = (tx: Db) => {
      const inTx = { ...ctx, tx };
      const token = tokens.issue(inTx, user.id, 'verify_email', VERIFY_TTL_MS);
      mail.send(tx, inTx, {
        userId: user.id,
        to: user.email,
        kind: 'verify_email',
        subject: '【钱包投诉台】请验证你的邮箱',
        text:
          `${user.displayName}，你好：\n\n请打开下面的链接，确认这个邮箱属于你（7 天内有效，只能使用一次）：\n` +
          `${publicUrl}/verify-email?token=${token}\n\n` +
          '验证后，投诉进展通知和找回密码的邮件才能可靠地送达你。如果你没有在钱包投诉台注册，请忽略这封邮件。',
        key: hashToken(token).slice(0, 16),
        secret: true,
      });
    };
    if (ctx.tx) run(ctx.tx);
    else db.transaction(run);
  }

  return {
    /** Mails a fresh link to this account without the hourly limit: an admin's "resend verification". */
    sendLink(ctx: Ctx, user: Pick<User, 'id' | 'email' | 'displayName'>): void {
      mailLink(ctx, user);
    },

    /** Mails a verification link to a newly registered account (the registration's own request). */
    sendAfterRegistration(ctx: Ctx, user: User): void {
      if (user.emailVerifiedAt === null) mailLink(ctx, user);
    },

    /** Mails a fresh link to the signed-in account; earlier links stop working. 409 when already verified. */
    resend(ctx: Ctx): void {
      const actor = requireActor(ctx);
      const user = db.select().from(users).where(eq(users.id, actor.id)).get();
      if (!user) throw new NotFound();
      if (user.emailVerifiedAt !== null) throw new Conflict('你的邮箱已经验证过了', 'ALREADY_VERIFIED');
      const sent =
        db
          .select({ n: count() })
          .from(accountTokens)
          .where(
            and(
              eq(accountTokens.userId, user.id),
              eq(accountTokens.purpose, 'verify_email'),
              gt(accountTokens.createdAt, ctx.clock.now() - HOUR_MS),
            ),
          )
          .get()?.n ?? 0;
      if (sent >= VERIFY_MAILS_PER_HOUR)
        throw new AppError(429, 'RATE_LIMITED', '验证邮件发送得太频繁了，请查收已发送的邮件，或一小时后再试');
      mailLink(ctx, user);
    },

    /** The account a live link belongs to (the confirm page shows its address), without using the link up. */
    peek(ctx: Ctx, token: unknown): Pick<User, 'id' | 'email' | 'emailVerifiedAt'> | null {
      const userId = tokens.peek(ctx, token, 'verify_email');
      if (userId === null) return null;
      return (
        db
          .select({ id: users.id, email: users.email, emailVerifiedAt: users.emailVerifiedAt })
          .from(users)
          .where(eq(users.id, userId))
          .get() ?? null
      );
    },

    /** Uses the link up and marks the address verified; 400 TOKEN_INVALID when unknown, used or expired. */
    confirm(ctx: Ctx, token: unknown): number {
      return db.transaction((tx) => {
        const inTx = { ...ctx, tx };
        const userId = tokens.consume(inTx, token, 'verify_email');
        const now = ctx.clock.now();
        tx.update(users)
          .set({ emailVerifiedAt: now, updatedAt: now })
          .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
          .run();
        return userId;
      });
    },
  };
}

export type VerificationService = ReturnType<typeof verificationService>;
