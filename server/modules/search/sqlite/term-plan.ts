// How one query word takes part in a query: its matching cases and what the ranking needs to score them.
import type { TermList } from './postings.ts';

export interface TermPlan {
  ords: Int32Array;
  /** Beside each ord: PRESENT, plus IN_TITLE when the title has the term. */
  flags: Uint8Array;
  idf: number;
  /** By provider code: 1 when the term is one of that provider's names or aliases. */
  aliasOf: Uint8Array;
  /** The cached list behind ords/flags (absent for a word matched through its parts). */
  list?: TermList;
}
