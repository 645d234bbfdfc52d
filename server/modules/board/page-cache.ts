// Rendered public case pages for anonymous readers, keyed by case id and public_cases.version: a changed, edited or
// taken-down case never serves a stale page (the version is read on every request; a missing row is a 404). Only pages
// rendered for nobody in particular are kept: no session, so no name, no admin tools, no form token in them.
export class PageCache {
  private readonly pages = new Map<number, { version: number; html: string }>();

  constructor(private readonly maxEntries = 2000) {}

  get(id: number, version: number): string | undefined {
    const hit = this.pages.get(id);
    if (!hit || hit.version !== version) return undefined;
    // Least recently used goes first: re-inserting moves this one to the end.
    this.pages.delete(id);
    this.pages.set(id, hit);
    return hit.html;
  }

  set(id: number, version: number, html: string): void {
    this.pages.delete(id);
    this.pages.set(id, { version, html });
    if (this.pages.size > this.maxEntries) this.pages.delete(this.pages.keys().next().value!);
  }

  get size(): number { return this.pages.size; }
}
