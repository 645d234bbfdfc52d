// Accounts: registration, login, sessions, the admin bootstrap and provider-staff accounts.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, lt, ne } from 'drizzle-orm';
import type { Db, Sqlite } from '../../db/database.ts';
import type { Actor, Ctx } from '../../lib/ctx.ts';
import { Conflict, Invalid, Unauthorized } from '../../lib/errors.ts';
import { Fields } from '../../lib/validate.ts';
import { sessions, users, type Role, type User } from './schema.ts';
import { readNewPassword } from './password-policy.ts';
import { burnPasswordTime, hashPassword, verifyPassword } from './password.ts';
import { loginBackoff } from './login-guard.ts';

export { hashId as hashSessionId };

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** last_seen_at is written at most this often per session: the idle timeout needs no more precision. */
export const SEEN_RESOLUTION_MS = 60_000;

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
  realName: string | null;
}

export function readRegistration(raw: Record<string, unknown>): RegisterInput {
  const f = new Fields(raw);
  const email = f.email('email');
  const displayName = f.string('displayName', '昵称', { required: true, min: 2, max: 20 });
  const realName = f.string('realName', '真实姓名', { max: 20 });
  const password = readNewPassword(f, raw, 'password', { email, displayName, realName });
  f.done();
  return { email: email!, password: password!, displayName: displayName!, realName };
}

export function accountService(db: Db, sqlite: Sqlite, opts: { idleMs: number } = { idleMs: 7 * 24 * 3600_000 }) {
  // Runs on every request that carries a session cookie: prepared once. A session idle for longer than idleMs is void
  // (coalesce: one never seen counts from its start).
  const sessionActor =
    sqlite.prepare(`SELECT u.id, u.role, u.email, u.display_name AS displayName, u.provider_id AS providerId,
      u.totp_secret IS NOT NULL AS hasTotp, u.email_verified_at IS NOT NULL AS emailVerified,
      coalesce(s.last_seen_at, s.created_at) AS lastSeenAt
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id_hash = :hash AND s.expires_at > :now AND coalesce(s.last_seen_at, s.created_at) > :now - :idle
      AND u.disabled_at IS NULL`);
  const touch = sqlite.prepare('UPDATE sessions SET last_seen_at = :now WHERE id_hash = :hash');
  const backoff = loginBackoff(sqlite);
  const findByEmail = (email: string) => db.select().from(users).where(eq(users.email, email.toLowerCase())).get();

  async function createUser(ctx: Ctx, input: RegisterInput, role: Role, providerId: number | null): Promise<User> {
    if (findByEmail(input.email)) throw new Invalid({ email: '该邮箱已注册' }, 'EMAIL_TAKEN');
    const passwordHash = await hashPassword(input.password);
    const now = ctx.clock.now();
    try {
      return db
        .insert(users)
        .values({
          email: input.email,
          passwordHash,
          displayName: input.displayName,
          realName: input.realName,
          role,
          providerId,
          // The bootstrap admin's address is the operator's own configuration: nothing to prove by mail.
          emailVerifiedAt: role === 'admin' ? now : null,
          // Someone chose this password: only an invitation (admin-accounts) leaves it unset.
          passwordChangedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
    } catch (err) {
      if (String(err).includes('UNIQUE')) throw new Invalid({ email: '该邮箱已注册' }, 'EMAIL_TAKEN');
      throw err;
    }
  }

  return {
    findByEmail,

    get(id: number): User | undefined {
      return db.select().from(users).where(eq(users.id, id)).get();
    },

    /** The real and display names of these accounts, in one read (those that exist). */
    namesOf(ids: readonly number[]): { realName: string | null; displayName: string }[] {
      if (!ids.length) return [];
      return db
        .select({ realName: users.realName, displayName: users.displayName })
        .from(users)
        .where(inArray(users.id, [...ids]))
        .all();
    },

    register(ctx: Ctx, input: RegisterInput): Promise<User> {
      return createUser(ctx, input, 'consumer', null);
    },

    createStaff(ctx: Ctx, providerId: number, input: RegisterInput): Promise<User> {
      return createUser(ctx, input, 'provider_staff', providerId);
    },

    async login(ctx: Ctx, raw: Record<string, unknown>): Promise<User> {
      const f = new Fields(raw);
      const email = f.email('email');
      const password = typeof raw.password === 'string' ? raw.password : '';
      if (!password) f.fail('password', '请填写密码');
      f.done();
      const user = findByEmail(email!);
      if (!user) {
        await burnPasswordTime(password);
        throw new Unauthorized('邮箱或密码不正确', 'BAD_CREDENTIALS');
      }
      // Refused while the account waits after failed tries (login-guard.ts); counted before the password is checked.
      backoff.charge(user, ctx.clock.now());
      if (!(await verifyPassword(password, user.passwordHash)))
        throw new Unauthorized('邮箱或密码不正确', 'BAD_CREDENTIALS');
      backoff.succeeded(user);
      // Told only to whoever knows the password: a disabled account cannot be probed.
      if (user.disabledAt !== null) throw new Unauthorized('该账户已被停用，如有疑问请联系平台', 'ACCOUNT_DISABLED');
      return user;
    },

    /** Creates the admin named in the environment, or resets its password to the configured one. */
    async ensureAdmin(ctx: Ctx, email: string, password: string): Promise<User> {
      const existing = findByEmail(email);
      if (existing) {
        if (existing.role !== 'admin')
          throw new Conflict(`ADMIN_EMAIL ${email} already belongs to a ${existing.role} account`);
        // A changed ADMIN_PASSWORD is a password change like any other: every session of that admin ends.
        if (!(await verifyPassword(password, existing.passwordHash)))
          await this.setPassword(ctx, existing.id, password);
        return existing;
      }
      return createUser(ctx, { email, password, displayName: '平台管理员', realName: null }, 'admin', null);
    },

    startSession(ctx: Ctx, userId: number, userAgent: string | null = null): string {
      const id = randomBytes(32).toString('base64url');
      const now = ctx.clock.now();
      db.insert(sessions)
        .values({
          idHash: hashId(id),
          userId,
          createdAt: now,
          expiresAt: now + SESSION_TTL_MS,
          lastSeenAt: now,
          userAgent: userAgent ? userAgent.slice(0, 200) : null,
        })
        .run();
      // Expired sessions are swept as new ones start; no timer needed.
      db.delete(sessions)
        .where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)))
        .run();
      return id;
    },

    /**
     * Sets a new password (already checked against the rules by the caller) and ends every session of the account
     * except `keepSessionId` (the one that asked for the change, when it did).
     */
    async setPassword(ctx: Ctx, userId: number, password: string, keepSessionId: string | null = null): Promise<void> {
      const passwordHash = await hashPassword(password);
      const now = ctx.clock.now();
      const tx = ctx.tx ?? db;
      tx.update(users)
        .set({ passwordHash, passwordChangedAt: now, updatedAt: now, failedLogins: 0, loginBlockedUntil: null })
        .where(eq(users.id, userId))
        .run();
      this.endSessionsOf(ctx, userId, keepSessionId);
    },

    /** Ends every session of the account, or every one but `keepSessionId`. */
    endSessionsOf(ctx: Ctx, userId: number, keepSessionId: string | null = null): number {
      const tx = ctx.tx ?? db;
      const where = keepSessionId
        ? and(eq(sessions.userId, userId), ne(sessions.idHash, hashId(keepSessionId)))
        : eq(sessions.userId, userId);
      return tx.delete(sessions).where(where).run().changes;
    },

    endSession(id: string): void {
      db.delete(sessions)
        .where(eq(sessions.idHash, hashId(id)))
        .run();
    },

    /** Who holds this session, or null when it is unknown, expired or idle too long; notes that it was seen. */
    actorForSession(ctx: Ctx, id: string): Actor | null {
      const now = ctx.clock.now();
      const hash = hashId(id);
      const row = sessionActor.get({ hash, now, idle: opts.idleMs }) as
        | (Omit<Actor, 'hasTotp' | 'emailVerified'> & { hasTotp: number; emailVerified: number; lastSeenAt: number })
        | undefined;
      if (!row) return null;
      const { lastSeenAt, hasTotp, emailVerified, ...actor } = row;
      if (now - lastSeenAt >= SEEN_RESOLUTION_MS) {
        // Best effort: a full disk must not turn every page view into an error.
        try {
          touch.run({ now, hash });
        } catch {}
      }
      return { ...actor, hasTotp: hasTotp === 1, emailVerified: emailVerified === 1 };
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
