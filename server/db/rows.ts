// Whole rows through plain prepared statements, typed by their drizzle table. The hottest reads (the deadline tick's
// batch, the board's rebuild of one case) map every row through drizzle's generic result mapper, which costs more than
// SQLite's read. Here the select list names each column by its property, and only the columns whose stored form
// differs (JSON text, 0/1 booleans) are decoded, by the column's own decoder, so results equal drizzle's.
import { getTableColumns, getTableName, type InferSelectModel } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Sqlite } from './database.ts';

/** Column types whose driver value is already the model value. */
const PLAIN = new Set(['SQLiteInteger', 'SQLiteText', 'SQLiteReal', 'SQLiteNumeric']);

export interface RowShape<T extends SQLiteTable> {
  /** `"t"."col" AS "prop", …` for a SELECT list. */
  select: string;
  /** Decodes a row read with `select` (in place) into the table's select model. */
  decode(row: unknown): InferSelectModel<T>;
}

export function rowShape<T extends SQLiteTable>(table: T): RowShape<T> {
  const columns = Object.entries(getTableColumns(table));
  const name = getTableName(table);
  const select = columns.map(([key, c]) => `"${name}"."${c.name}" AS "${key}"`).join(', ');
  const decoders = columns.filter(([, c]) => !PLAIN.has(c.columnType));
  return {
    select,
    decode(row) {
      const r = row as Record<string, unknown>;
      for (const [key, c] of decoders) if (r[key] !== null && r[key] !== undefined) r[key] = c.mapFromDriverValue(r[key]);
      return r as InferSelectModel<T>;
    },
  };
}

export interface RowReader<T extends SQLiteTable> {
  get(...params: unknown[]): InferSelectModel<T> | undefined;
  all(...params: unknown[]): InferSelectModel<T>[];
}

/** `SELECT <every column> FROM <table> <rest>`, prepared once, rows decoded. `rest` holds the WHERE/ORDER BY/LIMIT. */
export function rowReader<T extends SQLiteTable>(sqlite: Sqlite, table: T, rest: string): RowReader<T> {
  const shape = rowShape(table);
  const stmt = sqlite.prepare(`SELECT ${shape.select} FROM "${getTableName(table)}" ${rest}`);
  return {
    get: (...params) => { const row = stmt.get(...params); return row === undefined ? undefined : shape.decode(row); },
    all: (...params) => stmt.all(...params).map(shape.decode),
  };
}
