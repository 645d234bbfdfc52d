// Shapes shared by the query loops, the sorted orders and the count cubes. They live here, apart from execute.ts and
// columns.ts, because those modules build on the structures that use these shapes: taking them from there made the
// files of this folder import each other in a circle.

export interface ValueDict {
  codes: Map<string, number>;
  values: string[];
}

/** What the sorted orders and the count cubes read of the column store (columns.ts owns them, so they take this view
 *  of it rather than the class). */
/** How many kills the column store remembers (for the count cubes to catch up on; older cubes are rebuilt). */
export const KILL_LOG_SIZE = 1 << 16;

export interface ColumnsView {
  readonly size: number;
  /** Bumped by every kill: per-term count cubes older than this catch up through the kill log, or are rebuilt. */
  readonly killVersion: number;
  /** The last KILL_LOG_SIZE kills, kill number v at slot v % KILL_LOG_SIZE: the ord, and its packed word as it was. */
  readonly killedOrd: Int32Array;
  readonly killedWord: Uint32Array;
  readonly packed: Uint32Array;
  readonly amount: Float64Array;
  readonly filedAt: Float64Array;
  readonly providers: ValueDict;
  readonly categories: ValueDict;
  readonly statuses: ValueDict;
}

export interface Filters {
  /** `(packed & mask) === want` selects live cases with the wanted provider, category and status. */
  mask: number;
  want: number;
  /** A filter names a value no case has: the result is empty. */
  impossible: boolean;
  from: number;
  to: number;
  amountMin: number;
  amountMax: number;
}

export interface Outcome {
  total: number;
  ords: number[];
  provider: Int32Array;
  category: Int32Array;
  status: Int32Array;
}
