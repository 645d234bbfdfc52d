// Planning one query word (the shape is term-plan.ts, apart so that the executor can import it without this).
import { wordParts } from '../segment.ts';
import { PRESENT } from './bits.ts';
import type { ColumnStore } from './columns.ts';
import { intersectOrds } from './execute.ts';
import type { PostingCache } from './postings.ts';
import { idf } from './ranking.ts';
import type { TermPlan } from './term-plan.ts';

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
      idf: idf(list.len, n),
      aliasOf,
      list,
    };
  // A long word no case contains whole (中国工商银行) matches the cases containing all of its parts (中国 工商 银行).
  const parts = wordParts(word).map((w) => cache.get(w));
  const ords = parts.length ? intersectOrds(parts.map((p) => p.ords.subarray(0, p.len))) : new Int32Array(0);
  return { ords, flags: new Uint8Array(ords.length).fill(PRESENT), idf: idf(ords.length, n), aliasOf };
}
