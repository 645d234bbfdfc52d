// Whole rows through plain prepared statements, typed by their drizzle table. The hottest reads (the deadline tick's
// batch, the board's rebuild of one case) map every row through drizzle's generic result mapper, which costs more than
// SQLite's read. Here the select list names each column by its property (the table's public column list), and only the
// columns whose stored form differs are decoded, by codecs each schema declares beside its table (JSON text, 0/1
// booleans, codecs.ts): nothing here reaches into drizzle's column classes, so an upgrade cannot change what a row decodes to.
// test/db/rows.test.ts holds every declaration against the schema and every decoded row against drizzle's own select.
import { getTableColumns, getTableName, type InferSelectModel } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Codec, Codecs } from './codecs.ts';
import type { Sqlite } from './database.ts';

export type { Codec, Codecs };

const DECODE: Record<Codec, (v: unknown) => unknown> = {
  json: (v) => JSON.parse(v as string),
  boolean: (v) => Number(v) === 1,
};

export interface RowShape<T extends SQLiteTable> {
  /** `"t"."col" AS "prop", …` for a SELECT list. */
  select: string;
  /** Decodes a row read with `select` (in place) into the table's select model. */
  decode(row: unknown): InferSelectModel<T>;
}

export function rowShape<T extends SQLiteTable>(table: T, codecs: Codecs<T>): RowShape<T> {
  const name = getTableName(table);
  const select = Object.entries(getTableColumns(table))
    .map(([key, c]) => `"${name}"."${c.name}" AS "${key}"`)
    .join(', ');
  const decoders = Object.entries(codecs as Record<string, Codec>).map(([key, codec]) => [key, DECODE[codec]] as const);
  return {
    select,
    decode(row) {
      const r = row as Record<string, unknown>;
      for (const [key, decode] of decoders) if (r[key] !== null && r[key] !== undefined) r[key] = decode(r[key]);
      return r as InferSelectModel<T>;
    },
  };
}

export interface RowReader<T extends SQLiteTable> {
  get(...params: unknown[]): InferSelectModel<T> | undefined;
  all(...params: unknown[]): InferSelectModel<T>[];
}

/** `SELECT <every column> FROM <table> <rest>`, prepared once, rows decoded. `rest` holds the WHERE/ORDER BY/LIMIT. */
export function rowReader<T extends SQLiteTable>(
  sqlite: Sqlite,
  table: T,
  codecs: Codecs<T>,
  rest: string,
): RowReader<T> {
  const shape = rowShape(table, codecs);
  const stmt = sqlite.prepare(`SELECT ${shape.select} FROM "${getTableName(table)}" ${rest}`);
  return {
    get: (...params) => {
      const row = stmt.get(...params);
      return row === undefined ? undefined : shape.decode(row);
    },
    all: (...params) => stmt.all(...params).map(shape.decode),
  };
}
