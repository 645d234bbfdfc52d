// Per-term count cubes: for a cached common term, how many live cases containing it (and containing it in the
// title) fall in each (provider, category, status) cell. Total and facets of a one-word query with only categorical
// filters are then a sum over a few hundred cells instead of a pass over 300,000 matches.
//
// Kept exact cheaply: a new case increments its cell when it is appended to the term's list; a removal or a
// replacement (every status change, answer or edit of a public case) bumps ColumnStore.killVersion and is written to
// its kill log. A cube older than that catches up on next use: each kill since is looked up in the term's sorted list
// (a binary search) and, when there, taken from its cell. Rebuilding instead (one pass over a list of 300,000 cases
// in random order of memory, 3–5 ms) cost every search of a common word that much while cases were being answered.
// A cube further behind than the log, or behind by more kills than a pass would cost, is rebuilt.
import { ALIVE, CATEGORY_MASK, CATEGORY_SHIFT, IN_TITLE, PROVIDER_MASK, STATUS_MASK, STATUS_SHIFT } from './bits.ts';
import { findOrd } from './find-ord.ts';
import { type ColumnsView, type Filters, KILL_LOG_SIZE, type Outcome } from './types.ts';

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

  /** Whether every dimension is at most these (codes only grow, so a smaller cube can grow into the larger). */
  fitsIn(providers: number, categories: number, statuses: number): boolean {
    return this.providers <= providers && this.categories <= categories && this.statuses <= statuses;
  }

  /** The same counts in a larger shape: cells of codes this cube did not have start at 0 (no case had them). */
  grownTo(providers: number, categories: number, statuses: number): CellCube {
    const out = new CellCube(providers, categories, statuses);
    let i = 0;
    for (let p = 0; p < this.providers; p++)
      for (let c = 0; c < this.categories; c++)
        for (let s = 0; s < this.statuses; s++, i++) out.counts[(p * categories + c) * statuses + s] = this.counts[i];
    return out;
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
    public all: CellCube,
    public title: CellCube,
    /** The store's killVersion these counts include. */
    public killVersion: number,
  ) {}

  /** A case was appended to the term's list (after ColumnStore.set); a code newer than the cube grows it. */
  add(x: number, flag: number): void {
    let cell = this.all.cell(x);
    if (cell < 0) {
      const { all } = this;
      this.grow(
        Math.max(all.providers, (x & PROVIDER_MASK) + 1),
        Math.max(all.categories, ((x & CATEGORY_MASK) >>> CATEGORY_SHIFT) + 1),
        Math.max(all.statuses, ((x & STATUS_MASK) >>> STATUS_SHIFT) + 1),
      );
      cell = this.all.cell(x);
    }
    this.all.counts[cell]++;
    if (flag & IN_TITLE) this.title.counts[cell]++;
  }

  /**
   * Grows both cubes to a larger shape in a pass over their cells, not over the term's list. A new status, category
   * or provider is first seen when a case with it is written (an imported board of closed cases meets 待回应 with the
   * first new complaint): rebuilt instead, every common word's cubes cost a pass over its list (3–5 ms at 300,000
   * cases) on its next search, each time a code appeared.
   */
  grow(providers: number, categories: number, statuses: number): void {
    this.all = this.all.grownTo(providers, categories, statuses);
    this.title = this.title.grownTo(providers, categories, statuses);
  }
}

/** Takes the cases killed since the cube's version out of their cells, those of them the term's list holds. */
function catchUp(store: ColumnsView, list: CubedList, cubes: TermCubes): void {
  const { ords, flags, len } = list;
  for (let v = cubes.killVersion; v < store.killVersion; v++) {
    const at = findOrd(ords, len, store.killedOrd[v % KILL_LOG_SIZE]);
    if (at < 0) continue;
    const cell = cubes.all.cell(store.killedWord[v % KILL_LOG_SIZE]);
    if (cell >= 0) {
      cubes.all.counts[cell]--;
      if (flags[at] & IN_TITLE) cubes.title.counts[cell]--;
    }
  }
  cubes.killVersion = store.killVersion;
}

/** The term's cubes: built when missing, grown for new codes, caught up with removals or rebuilt when far behind. */
export function cubesOf(store: ColumnsView, list: CubedList): TermCubes {
  const P = store.providers.values.length,
    C = store.categories.values.length,
    S = store.statuses.values.length;
  const have = list.cubes;
  if (have?.all.fitsIn(P, C, S)) {
    if (have.all.providers !== P || have.all.categories !== C || have.all.statuses !== S) have.grow(P, C, S);
    const behind = store.killVersion - have.killVersion;
    if (behind === 0) return have;
    // A binary search costs about log2(len) steps against one step per case for a rebuild.
    if (behind <= KILL_LOG_SIZE && behind * Math.log2(list.len + 2) < list.len) {
      catchUp(store, list, have);
      return have;
    }
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
