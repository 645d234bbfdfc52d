// The committed migrations must describe exactly the drizzle schema: a schema change without a migration fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as schema from '../server/db/schema.ts';
import { MIGRATIONS_DIR, openDatabase } from '../server/db/database.ts';

const require = createRequire(import.meta.url);

describe('migrations', () => {
  it('match the schema (drizzle-kit finds nothing to generate)', async () => {
    const { generateSQLiteDrizzleJson, generateSQLiteMigration } =
      require('drizzle-kit/api') as typeof import('drizzle-kit/api');
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
      entries: { idx: number }[];
    };
    const last = journal.entries.at(-1)!;
    const snapshot = JSON.parse(
      readFileSync(join(MIGRATIONS_DIR, 'meta', `${String(last.idx).padStart(4, '0')}_snapshot.json`), 'utf8'),
    );
    const current = await generateSQLiteDrizzleJson(schema as Record<string, unknown>);
    const statements = await generateSQLiteMigration(snapshot, current);
    expect(statements).toEqual([]);
  });

  it('apply to an empty database, in WAL mode with foreign keys on', () => {
    const { sqlite } = openDatabase(':memory:');
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'users',
        'sessions',
        'providers',
        'provider_channels',
        'complaints',
        'complaint_events',
        'attachments',
      ]),
    );
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    sqlite.close();
  });
});
