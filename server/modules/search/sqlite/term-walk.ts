// The fast path for the commonest query: one common word, no date or amount filter. Total and facets come from the
// word's count cube; the page comes from walking the time order newest first and keeping the cases whose bit is
// set (any field for sort=newest, title for sort=relevance, since every title hit of a one-word query scores the
// same 3 × idf and above any other hit). The walk stops once the page is full, so it visits about
// k × N / matches cases; when that would exceed a pass over the word's list, the caller's loop runs instead.
import { PROVIDER_MASK } from './bits.ts';
import type { ColumnStore } from './columns.ts';
import { TITLE_WEIGHT } from './ranking.ts';
import { hasBit } from './postings.ts';
import { cubesOf, type TermCubes } from './term-cube.ts';
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
  cubeTotals(cubes, facets, f, out);
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

/**
 * One common word beside a provider's name (工行 盗刷: 盗刷, ICBC's cases raised by the name's weight), sorted by
 * relevance. When the raised provider's title hits fill the page they are the page: each scores the word's title
 * score plus the raise, above any other case (another provider's title hit has no raise; a body or alias hit of the
 * raised provider scores at most ALIAS_WEIGHT or K1 + 1 times idf, both below TITLE_WEIGHT times idf), and they all
 * score the same, newest first, which is the walk over the provider's title hits. Total and facets are the word's
 * cube under the query's own filters. False (nothing written) when this does not apply.
 */
export function raisedTermWalk(
  store: ColumnStore,
  plan: TermPlan,
  boost: Float64Array,
  k: number,
  facets: boolean,
  f: Filters,
  out: Outcome,
  top: TopK,
): boolean {
  const list = plan.list;
  if (!list?.titleBits) return false;
  let raised = -1;
  for (let p = 0; p < boost.length; p++) {
    if (boost[p] === 0) continue;
    if (raised >= 0 || !(boost[p] > 0)) return false; // several providers named: the loop over the list ranks them
    raised = p;
  }
  // No raise, or a provider filter (every candidate then has the same raise, or none has it): the plain walk's order.
  if (raised < 0 || (f.mask & PROVIDER_MASK) !== 0)
    return oneTermWalk(store, plan, 'relevance', k, facets, f, out, top);
  const own: Filters = { ...f, mask: f.mask | PROVIDER_MASK, want: f.want | raised };
  const scratch: Outcome = { ...out, total: 0, ords: [] }; // no facets asked: only its total is written
  if (!oneTermWalk(store, plan, 'relevance', k, false, own, scratch, top)) return false;
  cubeTotals(cubesOf(store, list), facets, f, out);
  return true;
}

/** The word's total under the filters, with its facet counts when asked for, from its count cube. */
function cubeTotals(cubes: TermCubes, facets: boolean, f: Filters, out: Outcome): void {
  cubes.all.sum(f, facets ? out : null);
  if (!facets) out.total = cubes.all.sum(f, null);
}
