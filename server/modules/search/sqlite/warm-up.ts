// Warm-up of the embedded index after start, as a generator of small steps: the caller (warm-runner.ts) runs steps
// until its time slice is used and then yields to the event loop, so requests are served between any two steps.
// Nothing here may take long in one go: the vocabulary is read in pages and each doclist in ord ranges, their sizes
// adapted to the time one read took, so a step stays around `targetMs` at any collection size.
import type Database from 'better-sqlite3';
import type { WarmOptions, WarmProgress } from '../types.ts';
import type { ColumnStore } from './columns.ts';
import { loadSegmenter } from '../segment.ts';
import { parseOrds, quoteTerm, type PostingCache } from './postings.ts';
import { cubesOf } from './term-cube.ts';

export interface WarmTarget {
  db: Database.Database;
  cache: PostingCache;
  /** The current store (a reload replaces it). */
  store(): ColumnStore;
  /** One query for the word per sort order, over its now cached list: compiles the query loops. */
  probeSearch(term: string, sort: 'relevance' | 'newest'): void;
  /** One similar() over a draft of these words: allocates its score arrays and compiles its loop. */
  probeSimilar(words: string[]): void;
}

const SIMILAR_COMMON_SHARE = 0.15; // similar.ts leaves words in more cases than this out

/** Sizes of the next read: halved when a read took longer than the target, doubled when it took far less. */
class Chunk {
  constructor(public size: number, private readonly fixed: boolean, private readonly targetMs: number,
    private readonly min: number, private readonly max: number) {}
  took(ms: number): void {
    if (this.fixed) return;
    if (ms > this.targetMs) this.size = Math.max(this.min, this.size >>> 1);
    else if (ms < this.targetMs / 4) this.size = Math.min(this.max, this.size * 2);
  }
}

export function* warmSteps(target: WarmTarget, options: WarmOptions = {}): Generator<WarmProgress, void> {
  const { db, cache } = target;
  const targetMs = options.targetMs ?? 3;
  const fixed = (options.chunk ?? 0) > 0;
  const alive = target.store().aliveCount;
  const minDocs = Math.max(1, Math.floor(alive * (options.minDocShare ?? 0.01)));
  const maxTerms = options.maxTerms ?? 500;

  // 0. The segmenter's dictionary: every query needs it, and loading it cannot be split (one native call).
  loadSegmenter();
  yield { phase: 'vocabulary', terms: 0, total: 0 };

  // 1. The common words, from the index's own vocabulary (fts5vocab counts by walking each doclist: paged).
  const page = db.prepare('SELECT term, doc FROM search_vocab WHERE term > ? LIMIT ?').raw();
  const common: { term: string; doc: number }[] = [];
  const docOf = new Map<string, number>();
  const aliasTerms = new Set(target.store().providerAliasTokens.flatMap((s) => (s ? [...s] : [])));
  const vocab = new Chunk(fixed ? options.chunk! : 256, fixed, targetMs, 16, 65_536);
  let after = '';
  for (;;) {
    const t0 = performance.now(), size = vocab.size;
    const rows = page.all(after, size) as [string, number][];
    vocab.took(performance.now() - t0);
    for (const [term, doc] of rows) {
      if (doc >= minDocs) common.push({ term, doc });
      if (aliasTerms.has(term)) docOf.set(term, doc);
    }
    if (rows.length < size) break;
    after = rows[rows.length - 1][0];
    yield { phase: 'vocabulary', terms: 0, total: common.length };
  }
  common.sort((a, b) => b.doc - a.doc);
  const chosen = common.slice(0, maxTerms).map((c) => c.term);
  const seen = new Set(chosen);
  // Provider names and aliases (工行, 花呗 …) are what people type: warm them even when below the share.
  for (const t of aliasTerms) if (!seen.has(t) && (docOf.get(t) ?? 0) > 0) { chosen.push(t); seen.add(t); }
  const total = chosen.length;

  // 2. Their doclists, each read in ord ranges; the last range is open-ended and adopted in the same step, so a case
  //    written between two steps (always given a larger ord) is in the list.
  const range = db.prepare('SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH ? AND rowid >= ? AND rowid < ?').pluck();
  const ords = new Chunk(fixed ? options.chunk! : 32_768, fixed, targetMs, 1024, 1 << 24);
  let done = 0;
  for (const term of chosen) {
    const version = cache.version;
    const q = quoteTerm(term), tq = `title : ${q}`;
    const all: Int32Array[] = [], title: Int32Array[] = [];
    let lo = 0;
    while (lo < target.store().size && !cache.has(term) && cache.version === version) {
      const t0 = performance.now();
      const hi = lo + ords.size;
      all.push(parseOrds(range.get(q, lo, hi) as string | null));
      title.push(parseOrds(range.get(tq, lo, hi) as string | null));
      ords.took(performance.now() - t0);
      lo = hi;
      yield { phase: 'doclists', terms: done, total };
    }
    if (!cache.has(term) && cache.version === version) { // else a query read it meanwhile, or the cache was dropped
      all.push(parseOrds(range.get(q, lo, Number.MAX_SAFE_INTEGER) as string | null));
      title.push(parseOrds(range.get(tq, lo, Number.MAX_SAFE_INTEGER) as string | null));
      const list = cache.adopt(term, concat(all), concat(title));
      yield { phase: 'doclists', terms: done, total };
      if (list.bits && cache.has(term)) cubesOf(target.store(), list);
    }
    done++;
    yield { phase: 'doclists', terms: done, total };
  }

  // 3. The query loops, once each over warm lists: the commonest word, and a draft of the rarest warmed words that
  //    similar() would use.
  if (chosen.length === 0) return;
  target.probeSearch(chosen[0], 'relevance');
  yield { phase: 'probes', terms: done, total };
  target.probeSearch(chosen[0], 'newest');
  yield { phase: 'probes', terms: done, total };
  const draft = common.filter((c) => c.doc <= SIMILAR_COMMON_SHARE * alive).slice(-4).map((c) => c.term);
  if (draft.length) target.probeSimilar(draft);
  yield { phase: 'probes', terms: done, total };
}

function concat(parts: Int32Array[]): Int32Array {
  if (parts.length === 1) return parts[0];
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
