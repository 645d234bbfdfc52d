// Warm-up of the embedded index after start. The SQLite reads (the vocabulary, each common word's doclist) run in a
// worker thread (doclist-reader.ts); the main thread only adopts what comes back, in steps of a few milliseconds
// (merging title flags, bitsets, count cubes), and calls control.pause() between steps, which yields to the event
// loop once the caller's time slice is used (warm-runner.ts). An in-memory database has no file for a second
// connection: there the lists are read on the main thread, one word per step (such a database is small).
import type Database from 'better-sqlite3';
import type { WarmControl, WarmOptions } from '../types.ts';
import { loadSegmenter } from '../segment.ts';
import type { ColumnStore } from './columns.ts';
import { planSimilar, similarOrds, tooCommonForSimilar } from './similar.ts';
import type { SimilarScorer } from './similar-scorer.ts';
import { relaxedFew } from './relaxed-few.ts';
import { runWords } from './run-words.ts';
import { filtersFor } from './filters.ts';
import { liveCount, planTerm } from './plan-term.ts';
import { DoclistReader } from './doclist-reader.ts';
import { quoteTerm, type PostingCache } from './postings.ts';
import { cubesOf } from './term-cube.ts';

export interface WarmTarget {
  db: Database.Database;
  cache: PostingCache;
  /** The current store (a reload replaces it). */
  store(): ColumnStore;
  /** One query for these words (none: the whole board) in this sort order over their cached lists, or with `relaxed`
   *  their relaxed answer (cases with some of the words): compiles and optimises the query loops of its shape. */
  probeSearch(probe: Probe, sort: 'relevance' | 'newest'): void;
  /** One similar() over a draft of these words, in place and in the similar-cases thread: allocates the score
   *  arrays, starts the thread and compiles the loop on both sides. */
  probeSimilar(words: string[]): Promise<void>;
  /** Keeps the reader so that closing the index ends it. */
  attach(reader: DoclistReader | null): void;
}

export async function warmUp(target: WarmTarget, control: WarmControl, options: WarmOptions = {}): Promise<void> {
  const { db, cache } = target;
  // The segmenter's dictionary: every query needs it, and loading it is one native call (~0.4 s) that cannot be split.
  loadSegmenter();
  await control.pause();

  const file = db.memory ? null : db.name;
  const reader = file ? new DoclistReader(file) : null;
  target.attach(reader);
  try {
    const alive = target.store().aliveCount;
    const minDocs = Math.max(1, Math.floor(alive * (options.minDocShare ?? 0.01)));
    const maxTerms = options.maxTerms ?? 500;
    const vocabulary = reader
      ? await control.wait(reader.vocabulary(minDocs, maxTerms))
      : (db
          .prepare('SELECT term, doc FROM search_vocab WHERE doc >= ? ORDER BY doc DESC LIMIT ?')
          .all(minDocs, maxTerms) as { term: string; doc: number }[]);
    const chosen = vocabulary.map((v) => v.term);
    // Provider names and aliases (工行, 花呗 …) are what people type: warm them even when below the share.
    const seen = new Set(chosen);
    for (const tokens of target.store().providerAliasTokens)
      for (const t of tokens ?? [])
        if (!seen.has(t)) {
          chosen.push(t);
          seen.add(t);
        }
    let done = 0;
    control.progress({ phase: 'doclists', terms: 0, total: chosen.length });
    await control.pause();

    for (const term of chosen) {
      if (!cache.has(term)) {
        if (reader) {
          const version = cache.version;
          cache.reserve(term); // cases written while the thread reads are collected here
          let read: Awaited<ReturnType<typeof reader.read>> | undefined;
          try {
            read = await control.wait(reader.read(quoteTerm(term)));
          } finally {
            if (!read) cache.release(term);
          }
          const list = cache.adoptRead(term, read, version);
          // Its live count (a query's idf) in the same step: a pass over the list, off the first query's path.
          if (list) liveCount(target.store(), list);
          await control.pause();
          if (list?.bits) {
            cubesOf(target.store(), list);
            await control.pause();
          }
        } else {
          const list = cache.get(term);
          liveCount(target.store(), list);
          if (list.bits) cubesOf(target.store(), list);
        }
      }
      control.progress({ phase: 'doclists', terms: ++done, total: chosen.length });
      await control.pause();
    }

    // The query loops over warm lists, in each sort order, for every shape of query: the whole board, one word, two
    // common words (the bitset intersection), a common word with a rare one (the cursor walk), a provider's name with
    // a word (the boost), and the relaxed answers of two and three words; then a draft of the rarest warmed common
    // words that similar() would use. Each shape's first queries otherwise ran their loops unoptimised, 5–10 times their
    // usual cost (提现 失败 at 1,000,000 cases: 20–60 ms instead of 4), in the first seconds of traffic.
    if (chosen.length === 0) return;
    control.progress({ phase: 'probes', terms: done, total: chosen.length });
    // Over words in at most a third of the cases: the words nearly every case has (您, 处理 in generated data) take the
    // same loops, at 30–130 ms a probe instead of a few.
    const probeWords = vocabulary.filter((v) => v.doc <= alive / 3);
    for (const probe of probeQueries(
      (probeWords.length ? probeWords : vocabulary).map((v) => v.term),
      chosen.slice(vocabulary.length), // the providers' names and aliases, appended after the vocabulary
    ))
      for (const sort of ['relevance', 'newest'] as const) {
        target.probeSearch(probe, sort);
        await control.pause();
      }
    const draft = vocabulary
      .filter((v) => !tooCommonForSimilar(v.doc, alive))
      .slice(-4)
      .map((v) => v.term);
    if (draft.length) await target.probeSimilar(draft);
  } finally {
    target.attach(null);
    await reader?.close();
  }
}

/** A warm-up's query: its words, and whether it runs the relaxed answer (cases with some of them). */
export interface Probe {
  words: string[];
  relaxed: boolean;
}

/**
 * Rounds of probes, each over other words. V8 optimises a loop for the inputs it has seen and throws the code away when
 * the next query brings others: with one round, 提现 失败's first five queries at 1,000,000 cases still took 20–60 ms.
 */
export const PROBE_ROUNDS = 8;

/**
 * The queries a warm-up runs over these words (by frequency, commonest first) and the providers' names: the whole board
 * once, then each round over the next words: one word, two common ones, a common one with a rare one, a provider's
 * name with a word, the relaxed answers of two and three words, and a word with one no case has whole (its parts).
 */
export function probeQueries(words: string[], names: string[], rounds = PROBE_ROUNDS): Probe[] {
  // Only provider names warmed (a small board): they stand in for the words.
  if (words.length === 0) return names.length ? probeQueries(names, [], rounds) : [];
  const at = (xs: string[], i: number) => xs[((i % xs.length) + xs.length) % xs.length];
  const probes = new Map<string, Probe>();
  const add = (relaxed: boolean, ...ws: string[]) => {
    const distinct = [...new Set(ws)];
    if (relaxed && distinct.length < 2) return;
    const probe = { words: distinct, relaxed };
    probes.set(JSON.stringify(probe), probe);
  };
  add(false);
  for (let r = 0; r < rounds; r++) {
    const [common, next, rare] = [at(words, r), at(words, r + 1), at(words, words.length - 1 - r)];
    add(false, common);
    if (words.length < 2) continue;
    add(false, common, next);
    add(false, common, rare);
    if (names.length) add(false, at(names, r), common);
    add(true, common, next);
    add(true, common, next, rare);
    // A word no case has whole matches the cases with all its parts (planTerm): 余额 转出 is 余额 with 转 and 出.
    const joined = common + rare;
    add(false, next, joined);
    add(true, next, joined);
  }
  return [...probes.values()];
}

/** The probes of a warm-up over this index's store and cache: one query per sort order, one similar(). */
export function warmProbes(
  store: () => ColumnStore,
  cache: PostingCache,
  scorer: SimilarScorer,
): Pick<WarmTarget, 'probeSearch' | 'probeSimilar'> {
  return {
    probeSearch: ({ words, relaxed }, sort) => {
      const filters = filtersFor(store(), { sort, page: 1, pageSize: 20, facets: true });
      const terms = words.map((w) => planTerm(store(), cache, w));
      const base = { sort, k: 20, facets: true };
      // The relaxed path directly: the words may well have cases in common, which only changes what it counts.
      if (relaxed) relaxedFew(store(), { ...base, terms, boost: null, mode: 'any' }, filters);
      else runWords(store(), terms, base, filters);
    },
    probeSimilar: async (words) => {
      const input = { titleWords: words, bodyWords: words, provider: -1, category: -1, excludeOrd: -1 };
      similarOrds(store(), cache, input, 5);
      const { lists, idfs } = planSimilar(store(), cache, input);
      if (lists.length) await scorer.score(store(), lists, idfs, input, 5);
    },
  };
}

/** A whole warm-up without yielding (scripts); answers how many words it read. */
export async function warmWithoutPauses(
  run: (control: WarmControl, options: WarmOptions) => Promise<void>,
  minDocShare: number,
): Promise<number> {
  let total = 0;
  await run(
    {
      pause: async () => {},
      wait: (w) => w,
      progress: (p) => {
        total = p.total;
      },
    },
    { minDocShare, maxTerms: Number.MAX_SAFE_INTEGER },
  );
  return total;
}
