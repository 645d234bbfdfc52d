// Password reset by e-mail. Asking answers the same whether or not the address has an account (the routes say "if
// it is registered, a mail is on its way"), and does the same shape of work either way: no password hashing, one
// transaction, one count. The mail holds a single-use link valid 30 minutes; only the token's sha256 is stored
// (tokens.ts) and the mail's text is emptied from the outbox once sent (purgeOnDone). Setting the new password uses the
// token up, ends every session of the account and clears its failed-login backoff.
import { randomBytes } from 'node:crypto';
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { Invalid } from '../../lib/errors.ts';
import { Fields } from '../../lib/validate.ts';
import type { AccountMailer } from '../notifications/account-mail.ts';
import { readNewPassword } from './password-policy.ts';
import { accountTokens, users } from './schema.ts';
import type { AccountService } from './service.ts';
import { hashToken, type TokenService } from './tokens.ts';

export const RESET_TTL_MS = 30 * 60_000;
/** Mails per account per hour: more requests are answered as usual and send nothing. */
export const RESET_MAILS_PER_HOUR = 3;
export const RESET_REQUESTED_MESSAGE =
  '如果该邮箱已注册，我们已发送一封重设密码的邮件。请在 30 分钟内打开邮件中的链接；没有收到请检查垃圾邮件，或稍后重新申请。';

export interface ResetDeps {
  db: Db;
  accounts: AccountService;
  tokens: TokenService;
  mail: AccountMailer;
  publicUrl: string;
}

export function passwordResetService(d: ResetDeps) {
  const recentCount = (tx: Db, userId: number, since: number) =>
    tx
      .select({ n: count() })
      .from(accountTokens)
      .where(
        and(
          eq(accountTokens.userId, userId),
          eq(accountTokens.purpose, 'password_reset'),
          gt(accountTokens.createdAt, since),
        ),
      )
      .get()?.n ?? 0;

  return {
    /** Reads the address (400 when it is not one) and mails a link when it belongs to a usable account. */
    request(ctx: Ctx, raw: Record<string, unknown>): void {
      const f = new Fields(raw);
      const email = f.email('email');
      f.done();
      const user = d.accounts.findByEmail(email!);
      const now = ctx.clock.now();
      d.db.transaction((tx) => {
        const c = { ...ctx, tx };
        // Counted for an unknown address too (no row matches id 0): the same work, whoever asks.
        const recent = recentCount(tx, user?.id ?? 0, now - 3600_000);
        // Disabled accounts get no mail: the link would lead to an account that cannot log in.
        if (!user || user.disabledAt !== null || recent >= RESET_MAILS_PER_HOUR) {
          hashToken(randomBytes(32).toString('base64url'));
          return;
        }
        const token = d.tokens.issue(c, user.id, 'password_reset', RESET_TTL_MS);
        const link = `${d.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
        d.mail.send(tx, c, {
          userId: user.id,
          to: user.email,
          kind: 'password_reset',
          subject: '重设你的钱包投诉台密码',
          text: [
            `${user.displayName}，你好：`,
            '',
            '有人（希望是你）申请重设这个账号的密码。请在 30 分钟内打开下面的链接设置新密码，链接只能使用一次：',
            link,
            '',
            '如果不是你本人申请，请忽略这封邮件，你的密码不会改变。',
          ].join('\n'),
          key: hashToken(token).slice(0, 16),
          secret: true,
        });
      });
    },

    /** The account a live reset token belongs to (the page shows the form), without using it up; null otherwise. */
    peek(ctx: Ctx, token: unknown): number | null {
      return d.tokens.peek(ctx, token, 'password_reset');
    },

    /**
     * Sets the new password: the rules are checked before the token is used up (a refused password keeps the link
     * working), then the token is consumed, the password set and every session of the account ended.
     */
    async confirm(ctx: Ctx, raw: Record<string, unknown>, opts: { repeatField?: string } = {}): Promise<number> {
      const f = new Fields(raw);
      const userId = d.tokens.peek(ctx, raw.token, 'password_reset');
      const user = userId === null ? undefined : d.accounts.get(userId);
      if (!user || user.disabledAt !== null) f.fail('token', '链接无效或已过期，请重新申请');
      const password = readNewPassword(f, raw, 'password', user ?? {});
      if (opts.repeatField && password !== null && raw[opts.repeatField] !== password)
        f.fail(opts.repeatField, '两次输入的密码不一致');
      if (f.errors.token) throw new Invalid(f.errors, 'TOKEN_INVALID');
      f.done();
      const owner = d.tokens.consume(ctx, raw.token, 'password_reset');
      await d.accounts.setPassword(ctx, owner, password!, null);
      // The link came by mail: whoever used it reads that mailbox, so the address is verified as well.
      d.db
        .update(users)
        .set({ emailVerifiedAt: ctx.clock.now() })
        .where(and(eq(users.id, owner), isNull(users.emailVerifiedAt)))
        .run();
      return owner;
    },
  };
}

export type PasswordResetService = ReturnType<typeof passwordResetService>;
