// What a schema declares beside each table for the plain-statement readers (rows.ts): the columns whose stored form
// differs from the model value. A leaf: schemas import it, and it imports no schema.
import type { InferSelectModel } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/** How a column's stored value becomes its model value, when the two differ. */
export type Codec = 'json' | 'boolean';
/** The columns of a table that need decoding: every `{ mode: 'json' }` and `{ mode: 'boolean' }` column. */
export type Codecs<T extends SQLiteTable> = { readonly [K in keyof InferSelectModel<T>]?: Codec };
