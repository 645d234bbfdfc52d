// The fast path for the commonest query: one common word, no date or amount filter. Total and facets come from the
// word's count cube; the page comes from walking the time order newest first and keeping the cases whose bit is
// set (any field for sort=newest, title for sort=relevance, since every title hit of a one-word query scores the
// same 3 × idf and above any other hit). The walk stops once the page is full, so it visits about
// k × N / matches cases; when that would exceed a pass over the word's list, the caller's loop runs instead.
import type { ColumnStore } from './columns.ts';
import { TITLE_WEIGHT } from './ranking.ts';
import { hasBit } from './postings.ts';
import { cubesOf } from './term-cube.ts';
import type { TermPlan } from './term-plan.ts';
import type { TopK } from './top-k.ts';
import type { Filters, Outcome } from './types.ts';

/** False when the fast path does not apply; nothing is written to `out` or `top` then. */
export function oneTermWalk(
  store: ColumnStore,
  plan: TermPlan,
  sort: 'relevance' | 'newest',
  k: number,
  facets: boolean,
  f: Filters,
  out: Outcome,
  top: TopK,
): boolean {
  const list = plan.list;
  const bits = sort === 'newest' ? list?.bits : list?.titleBits;
  if (!list || !bits) return false;
  const cubes = cubesOf(store, list);
  const candidates = (sort === 'newest' ? cubes.all : cubes.title).sum(f, null);
  if (sort === 'relevance' && candidates < k) return false; // the page needs alias and body hits: score them all
  if (candidates > 0 && (k * store.size) / candidates > list.len) return false;
  cubes.all.sum(f, facets ? out : null);
  if (!facets) out.total = cubes.all.sum(f, null);
  if (candidates === 0 || k === 0) return true;

  const score = plan.idf * TITLE_WEIGHT;
  const newest = sort === 'newest';
  const { mask, want } = f;
  const time = store.timeOrder();
  const { packed, filedAt } = store;
  for (let ord = time.builtSize; ord < store.size; ord++) {
    // cases added since the time order was built
    if ((packed[ord] & mask) !== want || ord >>> 5 >= bits.length || !hasBit(bits, ord)) continue;
    if (newest) top.offer(filedAt[ord], ord, ord);
    else top.offer(score, filedAt[ord], ord);
  }
  const { packedAt, timeAt, ordAt } = time;
  for (let i = 0; i < packedAt.length; i++) {
    if ((packedAt[i] & mask) !== want) continue;
    const ord = ordAt[i];
    if (ord >>> 5 >= bits.length || !hasBit(bits, ord)) continue;
    const t = timeAt[i];
    // Entries come newest first (ties by ord descending), so the first one that cannot enter ends the walk.
    if (newest) {
      if (top.full && (t < top.floor || (t === top.floor && ord < top.floorSecondary))) break;
      top.offer(t, ord, ord);
    } else {
      if (top.full && (t < top.floorSecondary || (t === top.floorSecondary && ord < top.floorTertiary))) break;
      top.offer(score, t, ord);
    }
  }
  return true;
}
