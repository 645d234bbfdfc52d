// Accepting a staff invitation: the link shows who is invited to which provider (without using the token up); the
// form sets their password, proves their address (the link reached it) and uses the token once.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { Invalid } from '../../lib/errors.ts';
import { Fields } from '../../lib/validate.ts';
import { users, type User } from '../accounts/schema.ts';
import { readNewPassword } from '../accounts/password-policy.ts';
import type { AccountService } from '../accounts/service.ts';
import type { TokenService } from '../accounts/tokens.ts';
import type { ProviderService } from '../providers/service.ts';
import type { Provider } from '../providers/schema.ts';

const INVALID = '邀请链接无效或已过期，请联系邀请你的人重新发送';

/**
 * Invited and no password chosen yet: an invitation creates the account without one (passwordChangedAt null) and
 * accepting it, or a password reset, sets it. Read from the account itself, not from the invitation's token rows,
 * which are swept a day after they expire.
 */
export const invitePending = (u: User): boolean => u.role === 'provider_staff' && u.passwordChangedAt === null;

export function inviteService(
  db: Db,
  deps: { accounts: AccountService; tokens: TokenService; providers: ProviderService },
) {
  /** The invited account behind a live token, if it can still be accepted. */
  function invited(ctx: Ctx, token: unknown): { user: User; provider: Provider } | null {
    const id = deps.tokens.peek(ctx, token, 'invite');
    if (id === null) return null;
    const user = db.select().from(users).where(eq(users.id, id)).get();
    if (user?.role !== 'provider_staff' || user.disabledAt !== null || user.providerId === null) return null;
    const provider = deps.providers.byId(user.providerId);
    return provider ? { user, provider } : null;
  }

  return {
    /** For the page: never uses the token up (mail scanners open links too). */
    peek: invited,

    /** Sets the password and uses the token; the caller starts the session. TOKEN_INVALID when it cannot be used. */
    async accept(ctx: Ctx, raw: Record<string, unknown>): Promise<User> {
      const found = invited(ctx, raw.token);
      if (!found) throw new Invalid({ token: INVALID }, 'TOKEN_INVALID');
      const { user } = found;
      const f = new Fields(raw);
      const password = readNewPassword(f, raw, 'password', { email: user.email, displayName: user.displayName });
      if (password !== null && raw.confirm !== undefined && raw.confirm !== password)
        f.fail('confirm', '两次输入的密码不一致');
      f.done();
      // Used up before the password is set: of two submissions of one link, only one sets it.
      db.transaction((tx) => deps.tokens.consume({ ...ctx, tx }, raw.token, 'invite'));
      await deps.accounts.setPassword(ctx, user.id, password!);
      const now = ctx.clock.now();
      return db
        .update(users)
        .set({ emailVerifiedAt: user.emailVerifiedAt ?? now, updatedAt: now })
        .where(eq(users.id, user.id))
        .returning()
        .get();
    },
  };
}

export type InviteService = ReturnType<typeof inviteService>;
