// A provider's team: its staff accounts, invited by e-mail, disabled and enabled, made managers. Every verb takes the
// provider whose team it acts on and reads only that provider's rows: a staff id from another team is 404, whoever
// asks. Admins act on any team; a provider's manager only on their own (and not on themselves); only admins make
// managers. Each change is written to the audit log in its transaction.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { personOf, type Actor, type Ctx } from '../../lib/ctx.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../lib/errors.ts';
import { Fields } from '../../lib/validate.ts';
import { users, type User } from '../accounts/schema.ts';
import { hashPassword } from '../accounts/password.ts';
import type { Provider } from '../providers/schema.ts';
import { userSnapshot } from './snapshots.ts';
import { mailInvite } from './invite-mail.ts';
import { invitePending } from './invite.ts';
import type { UsersDeps } from './users-service.ts';

export interface StaffRow extends User {
  /** Invited and not yet accepted: no password of their own yet. */
  invitePending: boolean;
}

export interface InviteInput {
  email: string;
  displayName: string;
  manager: boolean;
}

export function readInvite(raw: Record<string, unknown>): InviteInput {
  const f = new Fields(raw);
  const email = f.email('email');
  const displayName = f.string('displayName', '姓名或称呼', { required: true, min: 2, max: 20 });
  const manager = f.boolean('manager');
  f.done();
  return { email: email!, displayName: displayName!, manager };
}

export function staffService(db: Db, deps: UsersDeps) {
  /** Who may change this team: an admin, or a manager of this very provider whose account is live. */
  function authorise(tx: Db, ctx: Ctx, providerId: number): Actor {
    const actor = personOf(ctx);
    if (actor?.role === 'admin') return actor;
    if (actor?.role !== 'provider_staff' || actor.providerId !== providerId) throw new NotFound();
    const me = tx.select().from(users).where(eq(users.id, actor.id)).get();
    if (!me?.isManager || me.disabledAt !== null)
      throw new Forbidden('只有本机构的团队管理员可以邀请、停用或启用成员', 'NOT_MANAGER');
    return actor;
  }

  const load = (tx: Db, providerId: number, id: number): User => {
    const u = tx
      .select()
      .from(users)
      .where(and(eq(users.id, id), eq(users.role, 'provider_staff'), eq(users.providerId, providerId)))
      .get();
    if (!u) throw new NotFound('找不到该成员');
    return u;
  };

  function change(ctx: Ctx, providerId: number, id: number, action: string, patch: (u: User) => Partial<User> | null) {
    return db.transaction((tx) => {
      const actor = authorise(tx, ctx, providerId);
      const before = load(tx, providerId, id);
      if (before.id === actor.id) throw new Conflict('不能更改自己的账户状态', 'CANNOT_CHANGE_SELF');
      // Managers answer to the platform: one manager cannot lock the others out.
      if (actor.role !== 'admin' && before.isManager)
        throw new Forbidden('团队管理员只能由平台管理员停用或启用', 'NOT_ADMIN');
      const set = patch(before);
      if (!set) return before;
      const after = tx
        .update(users)
        .set({ ...set, updatedAt: ctx.clock.now() })
        .where(eq(users.id, id))
        .returning()
        .get();
      if (set.disabledAt) deps.accounts.endSessionsOf({ ...ctx, tx }, id);
      deps.audit.record(
        { ...ctx, tx },
        { action, targetType: 'user', targetId: id, before: userSnapshot(before), after: userSnapshot(after) },
      );
      return after;
    });
  }

  return {
    /** The team, managers first, then in the order they joined. Readable by any member of it, and by admins. */
    list(ctx: Ctx, providerId: number): StaffRow[] {
      const actor = personOf(ctx);
      if (!(actor?.role === 'admin' || (actor?.role === 'provider_staff' && actor.providerId === providerId)))
        throw new NotFound();
      return db
        .select()
        .from(users)
        .where(and(eq(users.role, 'provider_staff'), eq(users.providerId, providerId)))
        .orderBy(sql`${users.isManager} DESC`, asc(users.id))
        .all()
        .map((u) => ({ ...u, invitePending: invitePending(u) }));
    },

    /** One member of this team (for the admin's by-id routes, which first find the team). */
    get(ctx: Ctx, providerId: number, id: number): StaffRow {
      const row = this.list(ctx, providerId).find((u) => u.id === id);
      if (!row) throw new NotFound('找不到该成员');
      return row;
    },

    /** The team a staff id belongs to, for admins only; 404 for anything that is not a provider's staff. */
    providerOfStaff(ctx: Ctx, id: number): number {
      if (personOf(ctx)?.role !== 'admin') throw new NotFound();
      const u = db.select().from(users).where(eq(users.id, id)).get();
      if (u?.role !== 'provider_staff' || u.providerId === null) throw new NotFound('找不到该成员');
      return u.providerId;
    },

    /**
     * A new staff account with no usable password, and a mail with a link (7 days, once) to choose one. Only admins
     * invite managers. An address that already has an account is refused beside the field.
     */
    async invite(ctx: Ctx, provider: Provider, input: InviteInput): Promise<User> {
      const actor = db.transaction((tx) => authorise(tx, ctx, provider.id));
      if (input.manager && actor.role !== 'admin')
        throw new Invalid({ manager: '只有平台管理员可以指定团队管理员' }, 'NOT_ADMIN');
      const taken = () => new Invalid({ email: '该邮箱已被其他账户使用' }, 'EMAIL_TAKEN');
      if (db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()) throw taken();
      // Nobody knows this password: the account can be used only after the invitation sets one.
      const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
      const now = ctx.clock.now();
      try {
        return db.transaction((tx) => {
          const tctx = { ...ctx, tx };
          const u = tx
            .insert(users)
            .values({
              email: input.email,
              passwordHash,
              displayName: input.displayName,
              role: 'provider_staff',
              providerId: provider.id,
              isManager: input.manager,
              createdAt: now,
              updatedAt: now,
            })
            .returning()
            .get();
          mailInvite(tx, ctx, deps, u, provider, actor.displayName);
          deps.audit.record(tctx, {
            action: 'staff.invite',
            targetType: 'user',
            targetId: u.id,
            before: null,
            after: userSnapshot(u),
          });
          return u;
        });
      } catch (err) {
        if (String(err).includes('UNIQUE')) throw taken();
        throw err;
      }
    },

    /** A new link for a member who has not chosen a password yet (the old link stops working). */
    resendInvite(ctx: Ctx, provider: Provider, id: number): void {
      db.transaction((tx) => {
        const actor = authorise(tx, ctx, provider.id);
        const u = load(tx, provider.id, id);
        if (!invitePending(u)) throw new Conflict('该成员已经设置了密码，无需重新邀请', 'INVITE_ACCEPTED');
        if (u.disabledAt !== null) throw new Conflict('该成员已停用，请先启用', 'ACCOUNT_DISABLED');
        mailInvite(tx, ctx, deps, u, provider, actor.displayName);
        const snap = userSnapshot(u);
        deps.audit.record(
          { ...ctx, tx },
          { action: 'staff.resend_invite', targetType: 'user', targetId: id, before: snap, after: snap },
        );
      });
    },

    setDisabled(ctx: Ctx, providerId: number, id: number, disabled: boolean): User {
      const now = ctx.clock.now();
      return change(ctx, providerId, id, disabled ? 'staff.disable' : 'staff.enable', (u) =>
        disabled === (u.disabledAt !== null) ? null : { disabledAt: disabled ? now : null },
      );
    },

    /** Admins only: a manager may invite and disable their own provider's staff. */
    setManager(ctx: Ctx, providerId: number, id: number, manager: boolean): User {
      if (personOf(ctx)?.role !== 'admin') throw new NotFound();
      return change(ctx, providerId, id, manager ? 'staff.make_manager' : 'staff.unmake_manager', (u) =>
        u.isManager === manager ? null : { isManager: manager },
      );
    },

    /** Whether this staff member may manage their team (shown as forms on /merchant/team). */
    isManager(ctx: Ctx): boolean {
      const actor = personOf(ctx);
      if (actor?.role !== 'provider_staff') return false;
      const me = db.select().from(users).where(eq(users.id, actor.id)).get();
      return !!me?.isManager && me.disabledAt === null;
    },
  };
}

export type StaffService = ReturnType<typeof staffService>;
