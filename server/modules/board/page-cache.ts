// Rendered public case pages for anonymous readers, keyed by case id and public_cases.version: a changed, edited or
// taken-down case never serves a stale page (the version is read on every request; a missing row is a 404). Only pages
// rendered for nobody in particular are kept: no session, so no name, no admin tools, no form token in them.
// With a doorkeeper, a page is kept from its second view (or once a kept page has a new version), not for every case
// read once by a crawler.
import { LRUCache } from 'lru-cache';
import type { Doorkeeper } from '../../lib/doorkeeper.ts';

export class PageCache {
  // Least recently read goes first once the cache is full.
  private readonly pages: LRUCache<number, { version: number; html: string }>;

  constructor(
    maxEntries = 2000,
    private readonly admission?: Doorkeeper<number>,
  ) {
    this.pages = new LRUCache({ max: maxEntries });
  }

  get(id: number, version: number): string | undefined {
    const hit = this.pages.get(id);
    return hit && hit.version === version ? hit.html : undefined;
  }

  set(id: number, version: number, html: string): void {
    if (this.pages.has(id) || !this.admission || this.admission.admit(id)) this.pages.set(id, { version, html });
  }

  get size(): number {
    return this.pages.size;
  }
}
