// Keeps the k best (primary, secondary, ord) triples seen, in a binary min-heap over typed arrays: O(n log k) with
// almost every offer rejected by one comparison against the root, so scanning 300,000 matches for a page of 20
// costs about as much as counting them.

export class TopK {
  private readonly p: Float64Array;
  private readonly s: Float64Array;
  private readonly o: Int32Array;
  private n = 0;

  constructor(readonly k: number) {
    this.p = new Float64Array(Math.max(1, k));
    this.s = new Float64Array(Math.max(1, k));
    this.o = new Int32Array(Math.max(1, k));
  }

  /** The primary key below which an offer cannot enter (−Infinity while the heap is not full). */
  get floor(): number {
    return this.n < this.k ? -Infinity : this.p[0];
  }

  /** The secondary key of the worst kept triple: an offer equal to `floor` on primary must beat this. */
  get floorSecondary(): number {
    return this.n < this.k ? -Infinity : this.s[0];
  }

  get floorTertiary(): number {
    return this.n < this.k ? -Infinity : this.o[0];
  }

  get full(): boolean {
    return this.n >= this.k;
  }

  offer(primary: number, secondary: number, ord: number): void {
    if (this.k === 0) return;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        // sift up
        const parent = (i - 1) >> 1;
        if (!this.worse(primary, secondary, ord, parent)) break;
        this.move(parent, i);
        i = parent;
      }
      this.set(i, primary, secondary, ord);
      return;
    }
    if (this.worse(primary, secondary, ord, 0)) return;
    let i = 0; // replace the root, sift down
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.lessAt(r, l) ? r : l;
      if (!this.lessAt(c, -1, primary, secondary, ord)) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, primary, secondary, ord);
  }

  /** Ords best first. */
  sorted(): number[] {
    const idx = Array.from({ length: this.n }, (_, i) => i);
    idx.sort((a, b) => this.p[b] - this.p[a] || this.s[b] - this.s[a] || this.o[b] - this.o[a]);
    return idx.map((i) => this.o[i]);
  }

  private worse(p: number, s: number, o: number, at: number): boolean {
    return p < this.p[at] || (p === this.p[at] && (s < this.s[at] || (s === this.s[at] && o < this.o[at])));
  }

  /** Is slot a worse than slot b (or, with b = −1, than the given triple)? */
  private lessAt(a: number, b: number, p = 0, s = 0, o = 0): boolean {
    if (b >= 0) {
      p = this.p[b];
      s = this.s[b];
      o = this.o[b];
    }
    return this.p[a] < p || (this.p[a] === p && (this.s[a] < s || (this.s[a] === s && this.o[a] < o)));
  }

  private move(from: number, to: number): void {
    this.p[to] = this.p[from];
    this.s[to] = this.s[from];
    this.o[to] = this.o[from];
  }
  private set(at: number, p: number, s: number, o: number): void {
    this.p[at] = p;
    this.s[at] = s;
    this.o[at] = o;
  }
}
