// Cases in amount order, cut into blocks of 4096, with running (prefix) count cubes over the blocks, so the total
// and facets of "amount between a and b" are one cube difference plus two partial blocks at the edges: well under a
// millisecond where a pass over a million cases took five to ten.
//
// Same life as TimeIndex: built at once, cases added since are the tail (counted separately), rebuilt when the tail
// grows; a removal clears the case's liveness bit and takes it out of the running cubes.
import { ALIVE, CATEGORY_MASK, CATEGORY_SHIFT, PROVIDER_MASK, STATUS_MASK, STATUS_SHIFT } from './bits.ts';
import { CellCube } from './term-cube.ts';
import { sortByKey } from './time-index.ts';
import type { ColumnsView, Filters, Outcome } from './types.ts';

const BLOCK_BITS = 12;
const BLOCK = 1 << BLOCK_BITS;
/** Above this many (provider × category × status) cells the running cubes cost too much memory: scan instead. */
const MAX_CELLS = 16_384;

export class AmountIndex {
  builtSize = 0;
  private amountAt = new Float64Array(0);
  private packedAt = new Uint32Array(0);
  private posOf = new Int32Array(0);
  /** running[b] = counts of positions [0, b·BLOCK), one CellCube-shaped slice per block boundary. */
  private running: Int32Array | null = null;
  private shape = new CellCube(0, 0, 0);

  stale(store: ColumnsView): boolean {
    return store.size - this.builtSize > Math.max(2_000, this.builtSize * 0.02);
  }

  build(store: ColumnsView): void {
    const live: number[] = [];
    for (let ord = 0; ord < store.size; ord++) if (store.packed[ord] & ALIVE) live.push(ord);
    const { amount } = store;
    const ords = sortByKey(Int32Array.from(live), amount);
    const n = ords.length;
    this.amountAt = new Float64Array(n);
    this.packedAt = new Uint32Array(n);
    this.posOf = new Int32Array(store.size).fill(-1);
    for (let i = 0; i < n; i++) {
      const ord = ords[i];
      this.amountAt[i] = amount[ord];
      this.packedAt[i] = store.packed[ord];
      this.posOf[ord] = i;
    }
    this.shape = new CellCube(
      store.providers.values.length,
      store.categories.values.length,
      store.statuses.values.length,
    );
    const cells = this.shape.counts.length;
    this.running = null;
    if (cells > 0 && cells <= MAX_CELLS) {
      const blocks = (n >>> BLOCK_BITS) + 1;
      const running = new Int32Array((blocks + 1) * cells);
      for (let b = 0; b < blocks; b++) {
        const base = (b + 1) * cells;
        running.copyWithin(base, b * cells, b * cells + cells);
        const end = Math.min(n, (b + 1) * BLOCK);
        for (let i = b * BLOCK; i < end; i++) running[base + this.shape.cell(this.packedAt[i])]++;
      }
      this.running = running;
    }
    this.builtSize = store.size;
  }

  kill(ord: number): void {
    if (ord >= this.builtSize) return;
    const at = this.posOf[ord];
    if (at < 0 || !(this.packedAt[at] & ALIVE)) return;
    const cell = this.shape.cell(this.packedAt[at]);
    this.packedAt[at] &= ~ALIVE;
    if (!this.running) return;
    const cells = this.shape.counts.length;
    for (let b = (at >>> BLOCK_BITS) + 1; b * cells < this.running.length; b++) this.running[b * cells + cell]--;
  }

  /** Count cases with amountMin ≤ amount ≤ amountMax and the filter's categorical values into out (tail excluded). */
  count(f: Filters, out: Outcome): void {
    const lo = this.firstAtLeast(f.amountMin);
    const hi = this.firstAbove(f.amountMax);
    const bLo = (lo + BLOCK - 1) >>> BLOCK_BITS;
    const bHi = hi >>> BLOCK_BITS;
    if (!this.running || bLo >= bHi) {
      this.scan(lo, hi, f, out);
      return;
    }
    this.scan(lo, bLo * BLOCK, f, out);
    this.scan(bHi * BLOCK, hi, f, out);
    // The shape cube's own counts serve as scratch for the difference of two running cubes.
    const cells = this.shape.counts.length;
    const diff = this.shape.counts;
    for (let c = 0; c < cells; c++) diff[c] = this.running[bHi * cells + c] - this.running[bLo * cells + c];
    this.shape.sum(f, out);
    diff.fill(0);
  }

  private scan(from: number, to: number, f: Filters, out: Outcome): void {
    const { packedAt } = this;
    let total = 0;
    for (let i = from; i < to; i++) {
      const x = packedAt[i];
      if ((x & f.mask) !== f.want) continue;
      total++;
      out.provider[x & PROVIDER_MASK]++;
      out.category[(x & CATEGORY_MASK) >>> CATEGORY_SHIFT]++;
      out.status[(x & STATUS_MASK) >>> STATUS_SHIFT]++;
    }
    out.total += total;
  }

  private firstAtLeast(a: number): number {
    let lo = 0,
      hi = this.amountAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.amountAt[mid] < a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private firstAbove(a: number): number {
    let lo = 0,
      hi = this.amountAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.amountAt[mid] <= a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
