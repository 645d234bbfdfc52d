// Planning one query word (the shape is term-plan.ts, apart so that the executor can import it without this).
import { wordParts } from '../segment.ts';
import { ALIVE, PRESENT } from './bits.ts';
import type { ColumnStore } from './columns.ts';
import { intersectOrds } from './execute.ts';
import { findOrd } from './find-ord.ts';
import type { PostingCache, TermList } from './postings.ts';
import { idf } from './ranking.ts';
import type { TermPlan } from './term-plan.ts';
import { KILL_LOG_SIZE } from './types.ts';

/** One query word as a plan: its cached doclist, or (for a long word no case has whole) the cases with all its parts. */
export function planTerm(store: ColumnStore, cache: PostingCache, word: string): TermPlan {
  const n = Math.max(1, store.aliveCount);
  const aliasOf = new Uint8Array(store.providers.values.length);
  store.providerAliasTokens.forEach((tokens, code) => {
    if (tokens.has(word)) aliasOf[code] = 1;
  });
  const list = cache.get(word);
  if (list.len > 0)
    return {
      ords: list.ords.subarray(0, list.len),
      flags: list.flags.subarray(0, list.len),
      idf: idf(liveCount(store, list), n),
      aliasOf,
      list,
    };
  // A long word no case contains whole (中国工商银行) matches the cases containing all of its parts (中国 工商 银行).
  const parts = wordParts(word).map((w) => cache.get(w));
  const ords = parts.length ? intersectOrds(parts.map((p) => p.ords.subarray(0, p.len))) : new Int32Array(0);
  return { ords, flags: new Uint8Array(ords.length).fill(PRESENT), idf: idf(ords.length, n), aliasOf };
}

/**
 * The live cases on a word's list: its idf counts these, so a word's ranking does not depend on when its list was read
 * (a list read before replacements keeps the replaced ords; one read after has only the new ones). Caught up through
 * the store's kill log, a binary search a kill, or counted in a pass when first asked or far behind (as the cubes are).
 */
export function liveCount(store: ColumnStore, list: TermList): number {
  const behind = store.killVersion - list.deadVersion;
  if (behind === 0) return list.len - list.dead;
  const { ords, len } = list;
  if (list.deadVersion >= 0 && behind <= KILL_LOG_SIZE && behind * Math.log2(len + 2) < len) {
    for (let v = list.deadVersion; v < store.killVersion; v++)
      if (findOrd(ords, len, store.killedOrd[v % KILL_LOG_SIZE]) >= 0) list.dead++;
  } else {
    let dead = 0;
    for (let i = 0; i < len; i++) if (!(store.packed[ords[i]] & ALIVE)) dead++;
    list.dead = dead;
  }
  list.deadVersion = store.killVersion;
  return list.len - list.dead;
}
