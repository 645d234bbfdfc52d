// drizzle's statements are kept by SQL text (db/statement-cache.ts): the same text is compiled once, a statement left
// in raw mode comes back giving objects, the cache keeps only the most recently used, and answers stay right across a
// schema change and inside transactions.
import Database from 'better-sqlite3';
import { asc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { statementCache } from '../../server/db/statement-cache.ts';

const notes = sqliteTable('notes', { id: integer('id').primaryKey(), body: text('body').notNull() });

function open(capacity?: number) {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const compiled: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    compiled.push(source);
    return prepare(source);
  }) as typeof sqlite.prepare;
  const cache = statementCache(sqlite, capacity);
  return { sqlite, cache, db: drizzle(cache.client), compiled };
}

describe('the statement cache', () => {
  it('compiles the same query once, whatever values it is run with', () => {
    const { db, compiled } = open();
    for (let i = 1; i <= 5; i++)
      db.insert(notes)
        .values({ id: i, body: `第${i}条` })
        .run();
    const byId = (id: number) => db.select().from(notes).where(eq(notes.id, id)).get();
    expect(byId(2)?.body).toBe('第2条');
    expect(byId(4)?.body).toBe('第4条');
    expect(byId(9)).toBeUndefined();
    expect(compiled.filter((s) => s.startsWith('select')).length).toBe(1);
    expect(compiled.filter((s) => s.startsWith('insert')).length).toBe(1);
  });

  it('hands a statement back giving objects after drizzle used it in raw mode', () => {
    const { db, cache, sqlite } = open();
    db.insert(notes).values({ id: 1, body: '一' }).run();
    const text = 'select "id", "body" from "notes" where "notes"."id" = ?';
    const first = cache.client.prepare(text);
    first.raw(true);
    expect(first.get(1)).toEqual([1, '一']);
    const again = cache.client.prepare(text);
    expect(again).toBe(first);
    expect(again.get(1)).toEqual({ id: 1, body: '一' });
    // A statement that returns no rows has no raw mode: handing it out again must not throw.
    const write = 'update "notes" set "body" = ? where "id" = ?';
    cache.client.prepare(write).run('二', 1);
    cache.client.prepare(write).run('三', 1);
    expect(sqlite.prepare('select body from notes').pluck().get()).toBe('三');
    // drizzle's own raw-mode reads (selected fields) and object reads (a plain sql query) of one table, in turn.
    for (let i = 0; i < 3; i++) {
      expect(db.select({ body: notes.body }).from(notes).all()).toEqual([{ body: '三' }]);
      expect(db.all(sql`select "body" from "notes"`)).toEqual([{ body: '三' }]);
    }
  });

  it('keeps only the most recently used statements', () => {
    const { db, cache, compiled } = open(3);
    const q = (n: number) => db.all(sql.raw(`select ${n} as n`));
    q(1);
    q(2);
    q(3);
    q(1); // 1 is now the most recent: 2 goes when 4 comes
    q(4);
    expect(cache.size).toBe(3);
    const before = compiled.length;
    q(1);
    q(3);
    q(4);
    expect(compiled.length).toBe(before);
    q(2);
    expect(compiled.length).toBe(before + 1);
  });

  it('answers right after a schema change and inside a transaction that rolls back', () => {
    const { db, sqlite } = open();
    db.insert(notes).values({ id: 1, body: '一' }).run();
    const list = () => db.select().from(notes).orderBy(asc(notes.id)).all();
    expect(list()).toEqual([{ id: 1, body: '一' }]);
    sqlite.exec("ALTER TABLE notes ADD COLUMN extra TEXT DEFAULT 'x'");
    expect(list()).toEqual([{ id: 1, body: '一' }]);
    expect(() =>
      db.transaction((tx) => {
        tx.insert(notes).values({ id: 2, body: '二' }).run();
        expect(tx.select().from(notes).all()).toHaveLength(2);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(list()).toEqual([{ id: 1, body: '一' }]);
  });
});
