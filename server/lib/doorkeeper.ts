// Admission for a cache whose traffic mostly asks for a thing once: on a board of a million cases, readers, searchers
// and crawlers open case pages nearly at random, and a cache that keeps every answer fills with pages read once, each
// kept until it is pushed out (on the heap long enough to be copied into the old generation, whose collections then
// come sooner and pause longer). An answer is kept from its key's second request within the window; a popular page
// is rendered twice instead of once, every other one never takes room.
import { LRUCache } from 'lru-cache';

export class Doorkeeper<K extends {}> {
  // Keys and when each was last asked: a few bytes each, and bounded (the oldest forgotten first).
  private readonly seen: LRUCache<K, number>;

  constructor(
    private readonly windowMs: number,
    maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {
    this.seen = new LRUCache({ max: maxKeys });
  }

  /** Whether this key was asked within the window before (keep its answer); this request is recorded either way. */
  admit(key: K): boolean {
    const t = this.now();
    const before = this.seen.get(key);
    this.seen.set(key, t);
    return before !== undefined && t - before < this.windowMs;
  }
}
