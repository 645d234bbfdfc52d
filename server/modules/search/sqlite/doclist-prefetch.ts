// Doclists a query is about to need, read in a thread instead of on the event loop. A word's first read costs up to
// hundreds of milliseconds at 1,000,000 cases (FTS5 walks the whole list); similar() asks for every word of a draft,
// so a case page's first similar cases could hold every other request for a second. Here the words not yet in memory
// are read by a DoclistReader thread with its own read-only connection, then adopted into the cache with the cases
// written meanwhile (reserve/adoptRead, as the warm-up does); the query itself then runs on warm lists. Concurrent
// queries needing the same word share one read. An in-memory database has no file for a thread: reads stay inline.
import { DoclistReader } from './doclist-reader.ts';
import { quoteTerm, type PostingCache } from './postings.ts';

export class DoclistPrefetcher {
  private reader: DoclistReader | null = null;
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly file: string | null,
    private readonly cache: PostingCache,
  ) {}

  /** Resolves once every word's doclist is cached (a failed read leaves the word to the query's own inline read). */
  async load(words: Iterable<string>): Promise<void> {
    if (!this.file) return;
    const waits: Promise<void>[] = [];
    for (const word of new Set(words)) {
      if (this.cache.has(word)) continue;
      let read = this.inflight.get(word);
      if (!read) {
        read = this.read(word).finally(() => this.inflight.delete(word));
        this.inflight.set(word, read);
      }
      waits.push(read);
    }
    await Promise.all(waits);
  }

  private async read(word: string): Promise<void> {
    this.reader ??= new DoclistReader(this.file!);
    const version = this.cache.version;
    this.cache.reserve(word); // cases written while the thread reads are collected here
    try {
      this.cache.adoptRead(word, await this.reader.read(quoteTerm(word)), version);
    } catch {
      this.cache.release(word);
    }
  }

  async close(): Promise<void> {
    const r = this.reader;
    this.reader = null;
    await r?.close();
  }
}
