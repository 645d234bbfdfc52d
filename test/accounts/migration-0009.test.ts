// Migration 0009 on a database made before it: accounts created with a password get their creation time as the time
// their password was set; a staff member invited by e-mail who never chose one keeps none (still 已邀请), whether or
// not the invitation's token rows are still there.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/database.ts';
import { migrationsUpTo } from '../helpers/migrations.ts';

it('sets password_changed_at for accounts created with a password, not for pending invitations', () => {
  const sqlite = new Database(':memory:');
  sqlite.function('inbox_words', { deterministic: true }, (_title: unknown) => '');
  const db = drizzle(sqlite);
  migrate(db, { migrationsFolder: migrationsUpTo(8) });
  const providerId = sqlite.prepare("SELECT id FROM providers WHERE slug = 'alipay'").pluck().get();
  const addUser = sqlite.prepare(`INSERT INTO users (email, password_hash, display_name, role, provider_id, created_at,
    updated_at, password_changed_at) VALUES (?, 'x', '某人', ?, ?, ?, ?, ?)`);
  const user = (email: string, role: string, createdAt: number, changedAt: number | null = null) =>
    Number(
      addUser.run(email, role, role === 'consumer' ? null : providerId, createdAt, createdAt, changedAt)
        .lastInsertRowid,
    );
  const invited = (email: string, createdAt: number, changedAt: number | null = null) => {
    const id = user(email, 'provider_staff', createdAt, changedAt);
    sqlite
      .prepare(
        "INSERT INTO audit_log (actor_id, action, target_type, target_id, at) VALUES (NULL, 'staff.invite', 'user', ?, ?)",
      )
      .run(String(id), createdAt);
    return id;
  };
  const consumer = user('c@example.com', 'consumer', 1000);
  const created = user('s@alipay.example', 'provider_staff', 2000);
  const waiting = invited('w@alipay.example', 3000);
  const joined = invited('j@alipay.example', 4000, 4500);

  migrate(db, { migrationsFolder: MIGRATIONS_DIR });

  const changed = sqlite.prepare('SELECT password_changed_at FROM users WHERE id = ?').pluck();
  expect([consumer, created, waiting, joined].map((id) => changed.get(id))).toEqual([1000, 2000, null, 4500]);
  sqlite.close();
});
