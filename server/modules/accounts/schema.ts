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
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export type User = typeof users.$inferSelect;
