import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../server/db/group-commit.ts';

function db() {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)');
  return sqlite;
}

describe('group commit', () => {
  it('commits writes queued in one turn together, and answers each caller with its own result', async () => {
    const sqlite = db();
    const g = new GroupCommit(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        g.run(() => {
          if (!sqlite.inTransaction) throw new Error('not in a transaction');
          return Number(insert.run(v).lastInsertRowid);
        }),
      ),
    );
    expect(results).toEqual([1, 2, 3]);
    expect(sqlite.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back only the write that failed', async () => {
    const sqlite = db();
    const g = new GroupCommit(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    const outcomes = await Promise.allSettled([
      g.run(() => insert.run('x')),
      g.run(() => {
        insert.run('half-written');
        insert.run('x');
      }), // second insert violates UNIQUE: the whole item goes
      g.run(() => insert.run('y')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sqlite.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['x', 'y']);
  });

  it('does not answer before the data is committed', async () => {
    const sqlite = db();
    const g = new GroupCommit(sqlite);
    const p = g.run(() => sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('z'));
    expect(sqlite.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0); // nothing ran yet
    await p;
    expect(sqlite.inTransaction).toBe(false);
    expect(sqlite.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
  });

  it('flush() commits what is queued (used on close)', () => {
    const sqlite = db();
    const g = new GroupCommit(sqlite);
    void g.run(() => sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('late'));
    g.flush();
    expect(sqlite.prepare('SELECT v FROM t').pluck().all()).toEqual(['late']);
  });
});

describe('group commit on a full database', () => {
  it('when SQLite rolls back the whole batch (SQLITE_FULL), every caller is rejected and nothing is stored', async () => {
    const sqlite = db();
    const g = new GroupCommit(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    sqlite.pragma(`max_page_count = ${(sqlite.pragma('page_count', { simple: true }) as number) + 1}`);
    const outcomes = await Promise.allSettled([
      g.run(() => insert.run('small')),
      g.run(() => insert.run('x'.repeat(50_000))), // needs pages the database may not have
      g.run(() => insert.run('after')), // would otherwise commit on its own, outside the batch, yet be rejected
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason.code)).toEqual([
      'SQLITE_FULL',
      'SQLITE_FULL',
      'SQLITE_FULL',
    ]);
    expect(sqlite.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    expect(sqlite.inTransaction).toBe(false);
  });
});
