// similar()'s scoring off the request thread. A case page asks for its similar cases on every view, and at 1,000,000
// cases scoring one draft walks about 33,000 doclist entries (2–4 ms): the largest single part of the request thread's
// work under the mixed load (scripts/bench-mixed.ts). A thread of its own scores instead, reading the doclists and
// the column store in place from shared memory (shared-arrays.ts); the request thread only chooses the words before
// and shapes the hits after. Small drafts (under THREAD_MIN_ENTRIES entries, every draft on a small board) are scored
// in place: a round trip to the thread costs more than that. Should the thread fail, the draft is scored in place.
import { ReplyThread } from '../../../lib/reply-thread.ts';
import { startTsWorker } from '../../../lib/ts-worker.ts';
import type { ColumnStore } from './columns.ts';
import { isShared } from './shared-arrays.ts';
import { type Doclist, type SimilarTarget, topSimilar } from './similar-merge.ts';

/** Drafts whose lists hold fewer entries than this are scored on the request thread (well under 0.1 ms). */
export const THREAD_MIN_ENTRIES = 4096;

export interface ScoreQuestion {
  id: number;
  lists: Doclist[];
  idfs: number[];
  target: SimilarTarget;
  k: number;
  /** The store's size when asked. */
  size: number;
  /**
   * ColumnStore.packed and filedAt, sent only when the thread may not hold these very arrays (its first question, or
   * the store grew into new ones): the thread keeps them. Sent with every question, each copy of the handles counted
   * as 12 MB of new external memory at 1M cases in the thread and set off a collection every few questions.
   */
  columns?: { packed: Uint32Array; filedAt: Float64Array };
}
export interface ScoreAnswer {
  id: number;
  ords: number[];
  error?: string;
  /** The thread holds no columns (it was restarted): ask again with them. */
  needColumns?: boolean;
}

export interface SimilarScorerOptions {
  /** See THREAD_MIN_ENTRIES (tests lower it to send a small board's drafts to the thread). */
  minEntries?: number;
  /** A failure of the thread (the draft was then scored in place). */
  onError?(err: Error): void;
}

export class SimilarScorer {
  private readonly thread = new ReplyThread<ScoreQuestion, ScoreAnswer>({
    name: 'similar-cases thread',
    // A script awaiting similar() (bench-search-engine.ts) must get its answer before it exits.
    holdOpen: true,
    // A small heap: the thread's arrays (scratch, doclists, columns) are all off it, and V8's default young generation
    // alone would add tens of MB to the process's RSS.
    start: () =>
      startTsWorker(
        new URL('./similar-thread.ts', import.meta.url),
        {},
        { resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 } },
      ),
  });
  /** The column arrays last sent to the thread (it keeps them). */
  private sent: { packed: Uint32Array; filedAt: Float64Array } | null = null;
  /** Drafts scored in the thread (diagnostics and tests). */
  scoredInThread = 0;

  constructor(private readonly opts: SimilarScorerOptions = {}) {}

  /** The k best ords, best first, exactly as topSimilar answers them. */
  async score(
    store: ColumnStore,
    lists: Doclist[],
    idfs: number[],
    target: SimilarTarget,
    k: number,
  ): Promise<number[]> {
    let entries = 0;
    for (const l of lists) entries += l.len;
    const inPlace =
      k === 0 ||
      entries < (this.opts.minEntries ?? THREAD_MIN_ENTRIES) ||
      !isShared(store.packed) ||
      !isShared(store.filedAt) ||
      !lists.every((l) => isShared(l.ords) && isShared(l.flags));
    if (inPlace) return topSimilar(store, lists, idfs, target, k);
    const ask = (withColumns: boolean) => {
      const columns = { packed: store.packed, filedAt: store.filedAt };
      if (withColumns) this.sent = columns;
      return this.thread.ask({
        id: this.thread.newId(),
        // Only what the merge reads: a TermList's bitsets and cubes stay behind.
        lists: lists.map((l) => ({ ords: l.ords, flags: l.flags, len: l.len })),
        idfs,
        target: { provider: target.provider, category: target.category, excludeOrd: target.excludeOrd },
        k,
        size: store.size,
        columns: withColumns ? columns : undefined,
      });
    };
    try {
      const sent = this.sent;
      let answer = await ask(sent?.packed !== store.packed || sent?.filedAt !== store.filedAt);
      if (answer.needColumns) answer = await ask(true);
      if (answer.error) throw new Error(answer.error);
      this.scoredInThread++;
      return answer.ords;
    } catch (err) {
      this.sent = null; // the next thread starts without them
      this.opts.onError?.(err as Error);
      return topSimilar(store, lists, idfs, target, k);
    }
  }

  async close(): Promise<void> {
    this.sent = null;
    await this.thread.stop();
  }
}
