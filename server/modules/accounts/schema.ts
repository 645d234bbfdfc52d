import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { providers } from '../providers/schema.ts';

export const ROLES = ['consumer', 'provider_staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    /** Optional; used only to scrub the consumer's own name from public text. Never public. */
    realName: text('real_name'),
    phone: text('phone'),
    role: text('role', { enum: ROLES }).notNull(),
    /** Set for provider_staff only: the one provider whose complaints this account may see. */
    providerId: integer('provider_id').references(() => providers.id),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** When the owner proved the address (the link mailed at registration); null: not yet. */
    emailVerifiedAt: integer('email_verified_at'),
    /** Set by an admin (or a provider's manager for their staff): no login, every session ended. */
    disabledAt: integer('disabled_at'),
    /** Provider staff who may invite and disable their own provider's staff (/merchant/team). */
    isManager: integer('is_manager', { mode: 'boolean' }).notNull().default(false),
    /** Which e-mails the person wants, by kind; absent keys mean the default (send). */
    notifyPrefs: text('notify_prefs', { mode: 'json' }).$type<Record<string, boolean>>(),
    /**
     * Sessions started before this instant are void (a password change, a reset, the admin bootstrap). Set when an
     * account is created with a password; null only while an invited staff member has not chosen one.
     */
    passwordChangedAt: integer('password_changed_at'),
    /** Failed logins since the last success, and until when the next try is refused (per-account backoff). */
    failedLogins: integer('failed_logins').notNull().default(0),
    loginBlockedUntil: integer('login_blocked_until'),
    /** TOTP shared secret (base32) once confirmed; totpPendingSecret while being set up. */
    totpSecret: text('totp_secret'),
    totpPendingSecret: text('totp_pending_secret'),
  },
  (t) => [index('users_provider_idx').on(t.providerId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** sha256 of the cookie value: a stolen database does not yield live sessions. */
    idHash: text('id_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Last request seen (updated at most once a minute): the idle timeout and the settings page's list. */
    lastSeenAt: integer('last_seen_at'),
    /** A short description of the browser that started it (settings page), never shown to anyone else. */
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export const TOKEN_PURPOSES = ['password_reset', 'verify_email', 'invite', 'mfa_login'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/**
 * Single-use tokens mailed or handed to one account: only the sha256 of the token is stored, so a stolen database
 * yields no working link. Used or expired rows are refused and swept.
 */
export const accountTokens = sqliteTable(
  'account_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: TOKEN_PURPOSES }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('account_tokens_user_idx').on(t.userId, t.purpose)],
);

/** One-time TOTP recovery codes (sha256 each); a used code is marked, never reused. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** What admins (and providers' managers) did to accounts and providers: who, what, when, before and after. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorId: integer('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    before: text('before', { mode: 'json' }).$type<unknown>(),
    after: text('after', { mode: 'json' }).$type<unknown>(),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_target_idx').on(t.targetType, t.targetId)],
);

/** Site-wide settings an admin changes at run time (e.g. two-factor required for staff), one JSON value per key. */
export const siteSettings = sqliteTable('site_settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).$type<unknown>().notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export type User = typeof users.$inferSelect;
