// The signed-in person's own account (/me/settings): display name, which complaint e-mails they want, a new password,
// and the sessions they have open. Every verb acts on the actor's own account only; another account's session is 404.
import { createHash } from 'node:crypto';
import { and, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Invalid, NotFound } from '../../lib/errors.ts';
import { Fields } from '../../lib/validate.ts';
import type { AccountMailer } from '../notifications/account-mail.ts';
import { NOTIFY_GROUP_KEYS, notifyPrefsOf } from '../notifications/preferences.ts';
import { readNewPassword } from './password-policy.ts';
import { verifyPassword } from './password.ts';
import { sessions, users, type User } from './schema.ts';
import { hashSessionId, type AccountService } from './service.ts';
import { describeUserAgent } from './user-agent.ts';

/**
 * What the settings page and API call a session: derived from the stored hash, so neither the cookie value nor the
 * stored hash is ever shown, and it cannot be turned back into either.
 */
const sessionRef = (idHash: string) => createHash('sha256').update(`session-ref:${idHash}`).digest('hex').slice(0, 16);

export interface SettingsDeps {
  db: Db;
  accounts: AccountService;
  mail: AccountMailer;
}

export function settingsService(deps: SettingsDeps) {
  const { db, accounts, mail } = deps;

  function own(ctx: Ctx): User {
    const user = accounts.get(requireActor(ctx).id);
    if (!user) throw new NotFound();
    return user;
  }

  function view(user: User) {
    return {
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      emailVerified: user.emailVerifiedAt !== null,
      // Complaint e-mails go to consumers; staff and admins get theirs regardless.
      notify: user.role === 'consumer' ? notifyPrefsOf(user.notifyPrefs) : null,
    };
  }

  function liveSessions(ctx: Ctx, userId: number) {
    return db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, ctx.clock.now())))
      .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt))
      .all();
  }

  return {
    get(ctx: Ctx) {
      return view(own(ctx));
    },

    /** Changes the display name and/or the e-mail preferences; fields left out stay as they are. */
    update(ctx: Ctx, raw: { displayName?: unknown; notify?: unknown }) {
      const user = own(ctx);
      const f = new Fields(raw as Record<string, unknown>);
      const patch: Partial<User> = {};
      if (raw.displayName !== undefined) {
        const name = f.string('displayName', '昵称', { required: true, min: 2, max: 20 });
        if (name !== null) patch.displayName = name;
      }
      if (raw.notify !== undefined) {
        const given = raw.notify;
        if (user.role !== 'consumer') f.fail('notify', '只有消费者账户可以设置投诉通知邮件');
        else if (!given || typeof given !== 'object' || Array.isArray(given)) f.fail('notify', '通知设置格式不正确');
        else {
          const next = { ...(user.notifyPrefs ?? {}) };
          for (const [k, v] of Object.entries(given)) {
            if (!(NOTIFY_GROUP_KEYS as string[]).includes(k) || typeof v !== 'boolean') {
              f.fail('notify', '通知设置包含不可选的项');
              break;
            }
            next[k] = v;
          }
          patch.notifyPrefs = next;
        }
      }
      f.done();
      if (Object.keys(patch).length) {
        db.update(users)
          .set({ ...patch, updatedAt: ctx.clock.now() })
          .where(eq(users.id, user.id))
          .run();
      }
      return view({ ...user, ...patch });
    },

    /**
     * A new password for the signed-in account, given the current one. Every other session ends; `currentSessionId`
     * (the one asking) stays signed in. The owner is told by mail, in case it was not them.
     */
    async changePassword(ctx: Ctx, raw: Record<string, unknown>, currentSessionId: string | null): Promise<void> {
      const user = own(ctx);
      const f = new Fields(raw);
      const current = typeof raw.currentPassword === 'string' ? raw.currentPassword : '';
      if (!current) f.fail('currentPassword', '请填写当前密码');
      const next = readNewPassword(f, raw, 'newPassword', user);
      if (next !== null && next === current) f.fail('newPassword', '新密码不能与当前密码相同');
      f.done();
      if (!(await verifyPassword(current, user.passwordHash)))
        throw new Invalid({ currentPassword: '当前密码不正确' }, 'BAD_CURRENT_PASSWORD');
      await accounts.setPassword(ctx, user.id, next!, currentSessionId);
      const now = ctx.clock.now();
      db.transaction((tx) => {
        mail.send(
          tx,
          { ...ctx, tx },
          {
            userId: user.id,
            to: user.email,
            kind: 'password_changed',
            subject: '【钱包投诉台】你的密码已修改',
            text:
              `${user.displayName}，你好：\n\n你的钱包投诉台账户密码刚刚在账户设置中修改，其他设备上的登录已全部退出。\n` +
              '如果这不是你本人的操作，请立即通过登录页的“忘记密码”重设密码。',
            key: String(now),
          },
        );
      });
    },

    /** The account's sessions that have not expired, most recently used first; `current` marks the one asking. */
    sessions(ctx: Ctx, currentSessionId: string | null) {
      const user = own(ctx);
      const mine = currentSessionId ? hashSessionId(currentSessionId) : null;
      return liveSessions(ctx, user.id).map((s) => ({
        id: sessionRef(s.idHash),
        browser: describeUserAgent(s.userAgent),
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        current: s.idHash === mine,
      }));
    },

    /** Ends every session of the account but the one asking; answers how many ended. */
    endOtherSessions(ctx: Ctx, currentSessionId: string | null): number {
      return accounts.endSessionsOf(ctx, own(ctx).id, currentSessionId);
    },

    /** Ends one other session of the account, named by its id on the settings page; 404 for any other id. */
    endSession(ctx: Ctx, ref: string, currentSessionId: string | null): void {
      const user = own(ctx);
      const target = liveSessions(ctx, user.id).find((s) => sessionRef(s.idHash) === ref);
      if (!target) throw new NotFound('找不到该登录设备');
      if (currentSessionId && target.idHash === hashSessionId(currentSessionId))
        throw new Invalid({ id: '这是你正在使用的设备：要退出它，请点“退出登录”' }, 'CURRENT_SESSION');
      db.delete(sessions)
        .where(and(eq(sessions.idHash, target.idHash), eq(sessions.userId, user.id)))
        .run();
    },
  };
}

export type SettingsService = ReturnType<typeof settingsService>;
