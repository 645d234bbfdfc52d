// Per-term count cubes: for a cached common term, how many live cases containing it (and containing it in the
// title) fall in each (provider, category, status) cell. Total and facets of a one-word query with only categorical
// filters are then a sum over a few hundred cells instead of a pass over 300,000 matches.
//
// Kept exact cheaply: a new case increments its cell when it is appended to the term's list; a removal or a
// replacement bumps ColumnStore.killVersion, and a cube older than that is rebuilt on next use (one pass over the
// list, about a millisecond for 300,000). Takedowns and edits are rare next to searches.
import { ALIVE, CATEGORY_MASK, CATEGORY_SHIFT, IN_TITLE, PROVIDER_MASK, STATUS_MASK, STATUS_SHIFT } from './bits.ts';
import type { ColumnsView, Filters, Outcome } from './types.ts';

/** The part of a cached doclist (postings.ts TermList) its cubes are built from and kept in. */
export interface CubedList {
  readonly ords: Int32Array;
  readonly flags: Uint8Array;
  readonly len: number;
  cubes: TermCubes | null;
}

export class CellCube {
  readonly counts: Int32Array;
  constructor(
    readonly providers: number,
    readonly categories: number,
    readonly statuses: number,
  ) {
    this.counts = new Int32Array(providers * categories * statuses);
  }

  /** Cell index of a packed word, or −1 when its codes are newer than this cube's dimensions. */
  cell(x: number): number {
    const p = x & PROVIDER_MASK,
      c = (x & CATEGORY_MASK) >>> CATEGORY_SHIFT,
      s = (x & STATUS_MASK) >>> STATUS_SHIFT;
    if (p >= this.providers || c >= this.categories || s >= this.statuses) return -1;
    return (p * this.categories + c) * this.statuses + s;
  }

  /** Cases in cells the filter selects; with `out`, also their total and facet counts. */
  sum(f: Filters, out: Outcome | null): number {
    let total = 0;
    let i = 0;
    for (let p = 0; p < this.providers; p++) {
      for (let c = 0; c < this.categories; c++) {
        for (let s = 0; s < this.statuses; s++, i++) {
          const n = this.counts[i];
          if (n === 0) continue;
          const word = p | (c << CATEGORY_SHIFT) | (s << STATUS_SHIFT) | ALIVE;
          if ((word & f.mask) !== f.want) continue;
          total += n;
          if (out) {
            out.provider[p] += n;
            out.category[c] += n;
            out.status[s] += n;
          }
        }
      }
    }
    if (out) out.total += total;
    return total;
  }
}

export class TermCubes {
  constructor(
    readonly all: CellCube,
    readonly title: CellCube,
    readonly killVersion: number,
  ) {}

  /** A case was appended to the term's list (after ColumnStore.set). False: dimensions grew, rebuild instead. */
  add(x: number, flag: number): boolean {
    const cell = this.all.cell(x);
    if (cell < 0) return false;
    this.all.counts[cell]++;
    if (flag & IN_TITLE) this.title.counts[cell]++;
    return true;
  }
}

/** The term's cubes, built or rebuilt when missing, outdated by a removal, or too small for new codes. */
export function cubesOf(store: ColumnsView, list: CubedList): TermCubes {
  const P = store.providers.values.length,
    C = store.categories.values.length,
    S = store.statuses.values.length;
  const have = list.cubes;
  if (
    have &&
    have.killVersion === store.killVersion &&
    have.all.providers === P &&
    have.all.categories === C &&
    have.all.statuses === S
  ) {
    return have;
  }
  const all = new CellCube(P, C, S),
    title = new CellCube(P, C, S);
  const { packed } = store;
  const ac = all.counts,
    tc = title.counts;
  for (let i = 0; i < list.len; i++) {
    const x = packed[list.ords[i]];
    if (!(x & ALIVE)) continue;
    const cell = all.cell(x);
    ac[cell]++;
    if (list.flags[i] & IN_TITLE) tc[cell]++;
  }
  list.cubes = new TermCubes(all, title, store.killVersion);
  return list.cubes;
}
