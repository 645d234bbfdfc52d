// drizzle prepares every query it runs anew: better-sqlite3 compiles the SQL text each time, even when the text is the
// same as a moment ago (the values are bound apart from it). At 1,000,000 cases under mixed load that compiling was
// 1.5 % of the request thread, spread over every page that reads through drizzle. Here drizzle's view of the
// connection keeps the statements it prepared, by SQL text, the most recently used STATEMENT_CACHE_SIZE of them;
// everything else about the connection is the connection itself.
//
// Sharing a statement is safe for drizzle's use of it: every drizzle call runs its statement to the end at once (it
// never iterates), and it sets raw mode itself when it wants rows as arrays; a statement handed out again is put back
// to rows as objects first, as a new one would be.
import type Database from 'better-sqlite3';

export const STATEMENT_CACHE_SIZE = 300;

export interface StatementCache {
  /** The connection as drizzle should see it. */
  client: Database.Database;
  /** Statements held now (tests). */
  readonly size: number;
}

export function statementCache(sqlite: Database.Database, capacity = STATEMENT_CACHE_SIZE): StatementCache {
  const held = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    const hit = held.get(source);
    if (hit) {
      held.delete(source); // to the most recently used end
      held.set(source, hit);
      if (hit.reader) hit.raw(false);
      return hit;
    }
    const stmt = sqlite.prepare(source);
    held.set(source, stmt);
    if (held.size > capacity) held.delete(held.keys().next().value as string);
    return stmt;
  };
  const client = new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    client,
    get size() {
      return held.size;
    },
  };
}

/**
 * A statement built and prepared once per drizzle handle, for module functions that are given the handle on each
 * call rather than at construction (a transaction's handle gets its own).
 */
export function preparedPer<D extends object, S>(build: (db: D) => S): (db: D) => S {
  const byDb = new WeakMap<D, S>();
  return (db) => {
    let stmt = byDb.get(db);
    if (stmt === undefined) {
      stmt = build(db);
      byDb.set(db, stmt);
    }
    return stmt;
  };
}
