// The admin's verbs on any account: find, look at, disable, enable, send the verification link again. Every verb
// refuses anyone but an admin (404, as the routes do), and every change is written to the audit log in its transaction.
import { and, count, desc, eq, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { personOf, type Actor, type Ctx } from '../../lib/ctx.ts';
import { Conflict, NotFound } from '../../lib/errors.ts';
import type { AccountService } from '../accounts/service.ts';
import type { AuditService } from '../accounts/audit.ts';
import type { TokenService } from '../accounts/tokens.ts';
import type { VerificationService } from '../accounts/verification.ts';
import { users, type Role, type User } from '../accounts/schema.ts';
import type { PlatformAccess } from '../complaints/platform.ts';
import type { AccountMailer } from '../notifications/account-mail.ts';
import { invitePending } from './invite.ts';
import { userSnapshot } from './snapshots.ts';

export const USERS_PAGE = 50;

export interface UserSearch {
  q?: string | null;
  role?: Role | null;
  /** Keyset: the last id of the previous page (newest first). */
  before?: number | null;
}

export interface UsersDeps {
  accounts: AccountService;
  tokens: TokenService;
  audit: AuditService;
  mail: AccountMailer;
  verification: Pick<VerificationService, 'sendLink'>;
  /** How many complaints an account filed (the complaints module's platform verbs). */
  complaints: Pick<PlatformAccess, 'countFiledBy'>;
  publicUrl: string;
}

/** Admins only: anyone else is told the thing does not exist, as the routes answer. */
export function requireAdmin(ctx: Ctx): Actor {
  const a = personOf(ctx);
  if (a?.role !== 'admin') throw new NotFound();
  return a;
}

/** `LIKE` with the person's `%` and `_` taken literally. */
export const likePrefix = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function usersService(db: Db, deps: UsersDeps) {
  const load = (tx: Db, id: number): User => {
    const u = tx.select().from(users).where(eq(users.id, id)).get();
    if (!u) throw new NotFound('找不到该用户');
    return u;
  };

  return {
    /**
     * Newest first, 50 a page. An e-mail prefix is a range on the unique e-mail index; a display-name prefix is
     * matched while walking the primary key newest first, stopping at the page's 51st row.
     */
    search(ctx: Ctx, s: UserSearch): { items: User[]; nextBefore: number | null } {
      requireAdmin(ctx);
      const where: SQL[] = [];
      const q = s.q?.trim();
      if (q) {
        const lower = q.toLowerCase();
        const byEmail = and(gte(users.email, lower), lt(users.email, `${lower}\uffff`))!;
        where.push(
          q.includes('@') ? byEmail : or(byEmail, sql`${users.displayName} LIKE ${likePrefix(q)} ESCAPE '\\'`)!,
        );
      }
      if (s.role) where.push(eq(users.role, s.role));
      if (s.before) where.push(lt(users.id, s.before));
      const rows = db
        .select()
        .from(users)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(users.id))
        .limit(USERS_PAGE + 1)
        .all();
      const more = rows.length > USERS_PAGE;
      const items = more ? rows.slice(0, USERS_PAGE) : rows;
      return { items, nextBefore: more ? items[items.length - 1]!.id : null };
    },

    detail(ctx: Ctx, id: number): { user: User; complaints: number } {
      requireAdmin(ctx);
      const user = load(db, id);
      return { user, complaints: deps.complaints.countFiledBy(id) };
    },

    /** No login and every session ended. Not oneself, and never the last admin who can still sign in. */
    disable(ctx: Ctx, id: number): User {
      const actor = requireAdmin(ctx);
      return db.transaction((tx) => {
        const before = load(tx, id);
        if (before.id === actor.id) throw new Conflict('不能停用自己的账户', 'CANNOT_DISABLE_SELF');
        if (before.disabledAt !== null) return before;
        if (before.role === 'admin') {
          const active =
            tx
              .select({ n: count() })
              .from(users)
              .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
              .get()?.n ?? 0;
          if (active <= 1) throw new Conflict('不能停用最后一个可用的管理员账户', 'LAST_ADMIN');
        }
        const now = ctx.clock.now();
        const after = tx
          .update(users)
          .set({ disabledAt: now, updatedAt: now })
          .where(eq(users.id, id))
          .returning()
          .get();
        deps.accounts.endSessionsOf({ ...ctx, tx }, id);
        deps.audit.record(
          { ...ctx, tx },
          {
            action: 'user.disable',
            targetType: 'user',
            targetId: id,
            before: userSnapshot(before),
            after: userSnapshot(after),
          },
        );
        return after;
      });
    },

    enable(ctx: Ctx, id: number): User {
      requireAdmin(ctx);
      return db.transaction((tx) => {
        const before = load(tx, id);
        if (before.disabledAt === null) return before;
        const after = tx
          .update(users)
          .set({ disabledAt: null, updatedAt: ctx.clock.now(), failedLogins: 0, loginBlockedUntil: null })
          .where(eq(users.id, id))
          .returning()
          .get();
        deps.audit.record(
          { ...ctx, tx },
          {
            action: 'user.enable',
            targetType: 'user',
            targetId: id,
            before: userSnapshot(before),
            after: userSnapshot(after),
          },
        );
        return after;
      });
    },

    /** A new verification link (the old one stops working), mailed through the outbox; 409 once the address is proven. */
    resendVerification(ctx: Ctx, id: number): void {
      requireAdmin(ctx);
      db.transaction((tx) => {
        const u = load(tx, id);
        if (u.emailVerifiedAt !== null) throw new Conflict('该邮箱已经验证过了', 'ALREADY_VERIFIED');
        if (u.disabledAt !== null) throw new Conflict('该账户已停用，请先启用', 'ACCOUNT_DISABLED');
        // An invited member proves the address by accepting; a verification link would not give them a password.
        if (invitePending(u)) throw new Conflict('该成员尚未接受邀请，请在机构成员页重新发送邀请', 'INVITE_PENDING');
        const tctx = { ...ctx, tx };
        // The same link and mail as registration's (accounts/verification.ts), in this audited transaction.
        deps.verification.sendLink(tctx, u);
        deps.audit.record(tctx, {
          action: 'user.resend_verification',
          targetType: 'user',
          targetId: id,
          before: userSnapshot(u),
          after: userSnapshot(u),
        });
      });
    },
  };
}

export type UsersService = ReturnType<typeof usersService>;
