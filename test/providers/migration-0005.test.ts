// Migration 0005 on a database made before it: names consumers typed become pending (private), the bulk import's and
// the admins' entries stay listed, and public copies of pending names' cases move to 其他机构 with a search re-sync.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../server/db/database.ts';
import { migrationsUpTo } from '../helpers/migrations.ts';

describe('migration 0005 (provider review)', () => {
  it('makes consumer-typed names pending and moves their public copies to 其他机构', () => {
    const sqlite = new Database(':memory:');
    sqlite.function('inbox_words', { deterministic: true }, (_title: unknown) => '');
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsUpTo(4) });
    const addProvider =
      sqlite.prepare(`INSERT INTO providers (slug, name, aliases, hotline, contact_source, last_verified_at, verified, website, created_at, updated_at)
      VALUES (?, ?, '[]', NULL, ?, NULL, ?, NULL, 0, 0)`);
    addProvider.run('alipay', '支付宝', '钱包投诉指南', 1);
    const typed = Number(
      addProvider.run('p-0123456789', '李雷 15011112222 骗子', '消费者投诉时填写（2026-11-01），待核实', 0)
        .lastInsertRowid,
    );
    const imported = Number(
      addProvider.run('jd-pay', '京东支付', '批量导入的演示数据，客服电话待核实', 0).lastInsertRowid,
    );
    sqlite.pragma('foreign_keys = OFF'); // public copies without the complaint rows behind them: only the board's view is under test
    const addPublic =
      sqlite.prepare(`INSERT INTO public_cases (complaint_id, provider_id, category, status, amount_fen, filed_at, overdue, resolved,
      refunded, resolution_days, doc, version, published_at, updated_at) VALUES (?, ?, 'other', 'forwarded', NULL, 0, 0, 0, 0, NULL, ?, 1, 0, 0)`);
    const doc = (slug: string, name: string) =>
      JSON.stringify({ id: 1, title: '标题', provider: { slug, name, hotline: null, verified: false } });
    addPublic.run(1, typed, doc('p-0123456789', '李雷 15011112222 骗子'));
    addPublic.run(2, imported, doc('jd-pay', '京东支付'));

    migrate(db, { migrationsFolder: MIGRATIONS_DIR });

    const status = sqlite.prepare('SELECT slug, status FROM providers ORDER BY id').all();
    expect(status).toEqual([
      { slug: 'alipay', status: 'listed' },
      { slug: 'p-0123456789', status: 'pending' },
      { slug: 'jd-pay', status: 'listed' },
      { slug: 'other', status: 'reserved' },
    ]);
    const other = sqlite.prepare("SELECT id FROM providers WHERE slug = 'other'").pluck().get();
    const rows = sqlite
      .prepare(
        'SELECT complaint_id AS id, provider_id AS providerId, doc, version FROM public_cases ORDER BY complaint_id',
      )
      .all() as { id: number; providerId: number; doc: string; version: number }[];
    expect(rows[0]).toMatchObject({ providerId: other, version: 2 });
    expect(JSON.parse(rows[0]!.doc).provider).toEqual({
      slug: 'other',
      name: '其他机构',
      hotline: null,
      verified: false,
    });
    expect(rows[0]!.doc).not.toContain('15011112222');
    expect(rows[1]).toMatchObject({ providerId: imported, version: 1 });
    expect(
      sqlite
        .prepare("SELECT complaint_id FROM outbox WHERE topic = 'search_sync' AND status = 'pending'")
        .pluck()
        .all(),
    ).toEqual([1]);
    sqlite.close();
  });
});
