// Doclists of query terms, read from FTS5 once and kept in memory (an LRU bounded in bytes): the sorted ords of the
// cases containing the term, and beside each ord one byte saying whether the title has it. A common term's doclist
// costs tens of milliseconds to pull out of SQLite; kept here it is an array the query loop walks in a millisecond.
// Writes keep cached lists exact instead of dropping them: a new or replaced case always gets a fresh, larger ord,
// so it is appended; a removed case's ord stays in place and is skipped because ColumnStore marks it dead.
import type Database from 'better-sqlite3';
import { IN_TITLE, PRESENT } from './bits.ts';
import { sharedInt32, sharedUint8 } from './shared-arrays.ts';
import type { TermCubes } from './term-cube.ts';

export class TermList {
  ords: Int32Array;
  flags: Uint8Array;
  len: number;
  /** For common terms only: membership by ord (any field, and title), so a newest-first walk over the time order
   *  can test a case in one step. Null for terms under the threshold. */
  bits: Uint32Array | null = null;
  titleBits: Uint32Array | null = null;
  /** Per-term count cubes (see term-cube.ts), built on first use and kept up to date by pushes. */
  cubes: TermCubes | null = null;
  /** Removed cases among the `len` (their ords stay until the list is read again), as of the store's `deadVersion`
   *  kill count (−1: not counted yet): plan-term.ts keeps them for the word's idf. */
  dead = 0;
  deadVersion = -1;

  /** `len` entries of `ords` and `flags` are the list; the rest is room for cases to come. */
  constructor(ords: Int32Array, flags: Uint8Array, len = ords.length) {
    this.ords = ords;
    this.flags = flags;
    this.len = len;
  }

  push(ord: number, flag: number): void {
    // Ords only grow; one already here came with the list's own read (a case another connection wrote during it).
    if (this.len > 0 && this.ords[this.len - 1] >= ord) return;
    if (this.len === this.ords.length) {
      const cap = grownLength(this.ords.length);
      // Shared memory, like adopt(): the similar-cases thread reads lists in place (similar-scorer.ts).
      const ords = sharedInt32(cap);
      ords.set(this.ords);
      this.ords = ords;
      const flags = sharedUint8(cap);
      flags.set(this.flags);
      this.flags = flags;
    }
    this.ords[this.len] = ord;
    this.flags[this.len++] = flag;
    if (this.bits) {
      this.bits = setBit(this.bits, ord);
      if (flag & IN_TITLE) this.titleBits = setBit(this.titleBits!, ord);
    }
  }

  /** Bitsets covering every ord in the list (a larger ord reads as absent; push grows them). */
  buildBits(): void {
    const words = grownLength(this.len ? (this.ords[this.len - 1] >>> 5) + 1 : 1);
    const bits = new Uint32Array(words),
      title = new Uint32Array(words);
    for (let i = 0; i < this.len; i++) {
      const ord = this.ords[i];
      bits[ord >>> 5] |= 1 << (ord & 31);
      if (this.flags[i] & IN_TITLE) title[ord >>> 5] |= 1 << (ord & 31);
    }
    this.bits = bits;
    this.titleBits = title;
  }

  get bytes(): number {
    return this.ords.length * 5 + (this.bits ? this.bits.byteLength * 2 : 0);
  }
}

export const hasBit = (bits: Uint32Array, ord: number): boolean => ((bits[ord >>> 5] >>> (ord & 31)) & 1) === 1;

/**
 * The next capacity of a list or bitset that ran out: an eighth more. Lists arrive from SQLite exactly full, and the
 * warmed ones (up to 500 words) all take their first new case within the first minutes of traffic: doubling copied
 * each at once and then held twice its size for a few new cases. An eighth keeps the amortised cost per case
 * constant (at most eight copies of each entry) with an eighth of slack.
 */
const grownLength = (length: number): number => Math.max(16, length + (length >>> 3));

function setBit(bits: Uint32Array, ord: number): Uint32Array {
  let b = bits;
  if (ord >>> 5 >= b.length) {
    b = new Uint32Array(Math.max((ord >>> 5) + 1, grownLength(b.length)));
    b.set(bits);
  }
  b[ord >>> 5] |= 1 << (ord & 31);
  return b;
}

export const quoteTerm = (t: string): string => `"${t.replace(/"/g, '""')}"`;

/** Parse group_concat(rowid) output ("3,17,42") without making a string per number. */
export function parseOrds(s: string | null | undefined): Int32Array {
  if (!s) return new Int32Array(0);
  let count = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 44) count++;
  const out = new Int32Array(count);
  let n = 0,
    v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44) {
      out[n++] = v;
      v = 0;
    } else v = v * 10 + (c - 48);
  }
  out[n] = v;
  for (let i = 1; i < out.length; i++) if (out[i] <= out[i - 1]) return out.sort();
  return out;
}

export class PostingCache {
  private readonly entries = new Map<string, TermList>();
  /** Collectors of reserve(), by word: not served to queries, not counted in the budget. */
  private readonly pending = new Map<string, TermList>();
  private bytes = 0;
  private readonly fetch: Database.Statement;

  /** @param bitsetMinDocs terms in at least this many cases get membership bitsets (asked at each read) */
  constructor(
    db: Database.Database,
    private readonly budgetBytes: number,
    private readonly bitsetMinDocs: () => number,
    private readonly maxTerms = 100_000,
  ) {
    // group_concat in C and one parse in JS is about twice as fast as returning 300,000 rows one by one.
    // FTS5 visits matches in rowid order, so the concatenation comes out sorted (parseOrds checks).
    this.fetch = db.prepare('SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH ?').pluck();
  }

  /** Bumped by clear(): a doclist read in pieces across a clear (warm-up.ts) is stale and must not be adopted. */
  version = 0;

  has(term: string): boolean {
    return this.entries.has(term);
  }

  /** Start collecting the cases written from now on that contain `term`, for a doclist being read in another thread. */
  reserve(term: string): void {
    if (!this.pending.has(term)) this.pending.set(term, new TermList(new Int32Array(0), new Uint8Array(0)));
  }

  /**
   * Cache a doclist read in another thread from a snapshot (doclist-reader.ts), with the cases written since that
   * snapshot (ord > boundary) that reserve() collected. Null when the cache was cleared after `version` was taken
   * (the read may predate a reload); the cached list when a query read the word meanwhile.
   */
  adoptRead(
    term: string,
    read: { all: Int32Array; title: Int32Array; boundary: number },
    version: number,
  ): TermList | null {
    const extra = this.pending.get(term);
    this.pending.delete(term);
    if (version !== this.version || !extra) return null;
    const cached = this.entries.get(term);
    if (cached) return cached;
    const later: number[] = [],
      laterTitle: number[] = [];
    for (let i = 0; i < extra.len; i++) {
      if (extra.ords[i] <= read.boundary) continue; // already in the snapshot
      later.push(extra.ords[i]);
      if (extra.flags[i] & IN_TITLE) laterTitle.push(extra.ords[i]);
    }
    const join = (a: Int32Array, b: number[]) => {
      const o = new Int32Array(a.length + b.length);
      o.set(a);
      o.set(b, a.length);
      return o;
    };
    return this.adopt(
      term,
      later.length ? join(read.all, later) : read.all,
      laterTitle.length ? join(read.title, laterTitle) : read.title,
    );
  }

  release(term: string): void {
    this.pending.delete(term);
  }
  /** A cached list without touching the LRU order (diagnostics). */
  peek(term: string): TermList | undefined {
    return this.entries.get(term);
  }

  get(term: string): TermList {
    const hit = this.entries.get(term);
    if (hit) {
      // move to the young end of the LRU
      this.entries.delete(term);
      this.entries.set(term, hit);
      return hit;
    }
    const q = quoteTerm(term);
    return this.adopt(
      term,
      parseOrds(this.fetch.get(q) as string | null),
      parseOrds(this.fetch.get(`title : ${q}`) as string | null),
    );
  }

  /** Cache a doclist read elsewhere (sorted ords of every case with the term, and of those with it in the title). */
  adopt(term: string, all: Int32Array, title: Int32Array): TermList {
    // With room for new cases from the start (grownLength): the first one then costs no copy of the list. Read in the
    // warm-up, every common word's list used to be copied by its first new case, all within the first seconds of
    // traffic after start.
    // On shared memory, so the similar-cases thread reads the list in place (similar-scorer.ts).
    const len = all.length;
    const ords = sharedInt32(grownLength(len));
    ords.set(all);
    const flags = sharedUint8(ords.length);
    flags.fill(PRESENT, 0, len);
    for (let i = 0, j = 0; i < len && j < title.length; i++) {
      if (all[i] === title[j]) {
        flags[i] |= IN_TITLE;
        j++;
      }
    }
    const entry = new TermList(ords, flags, len);
    if (entry.len >= this.bitsetMinDocs()) entry.buildBits();
    this.entries.set(term, entry);
    this.bytes += entry.bytes;
    this.evict();
    return entry;
  }

  /** Number of cases containing the term (removed cases included until their ords are dropped: similar() takes this
   *  as it is, a query's idf counts the live ones, plan-term.ts). The doclist is read and cached: fts5vocab counts by
   *  scanning the doclist too, so asking it costs the same and keeps nothing. */
  docFreq(term: string): number {
    return this.get(term).len;
  }

  /** Keep cached lists exact after a case got `ord` with packed word `x` (called after the write committed). */
  onInsert(ord: number, x: number, allTokens: Iterable<string>, titleTokens: ReadonlySet<string>): void {
    if (this.entries.size === 0 && this.pending.size === 0) return;
    for (const t of allTokens) {
      const flag = titleTokens.has(t) ? PRESENT | IN_TITLE : PRESENT;
      this.pending.get(t)?.push(ord, flag);
      const list = this.entries.get(t);
      if (!list) continue;
      const before = list.bytes;
      list.push(ord, flag);
      list.cubes?.add(x, flag);
      this.bytes += list.bytes - before;
    }
  }

  clear(): void {
    this.entries.clear();
    this.pending.clear();
    this.bytes = 0;
    this.version++;
  }

  get stats(): { terms: number; bytes: number } {
    return { terms: this.entries.size, bytes: this.bytes };
  }

  private evict(): void {
    for (const [term, e] of this.entries) {
      if (this.bytes <= this.budgetBytes && this.entries.size <= this.maxTerms) break;
      this.entries.delete(term);
      this.bytes -= e.bytes;
    }
  }
}
