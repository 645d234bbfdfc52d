// The similar-cases thread (similar-scorer.ts): scores a draft's chosen doclists against the column store, both read
// in place from shared memory, and answers the k best ords. The same topSimilar as on the request thread, so the
// answer is the same.
import { parentPort } from 'node:worker_threads';
import { aliveIn, categoryIn, providerIn } from './bits.ts';
import { type SimilarColumns, topSimilar } from './similar-merge.ts';
import type { ScoreAnswer, ScoreQuestion } from './similar-scorer.ts';

/** The store's column arrays, as last sent (a question carries them only when they changed). */
let columns: { packed: Uint32Array; filedAt: Float64Array } | null = null;

/** The columns topSimilar reads, over the store's shared arrays, up to its size when the question was asked. */
function columnsOf(packed: Uint32Array, filedAt: Float64Array, size: number): SimilarColumns {
  return {
    isAlive: (ord) => aliveIn(packed, size, ord),
    providerOf: (ord) => providerIn(packed, ord),
    categoryOf: (ord) => categoryIn(packed, ord),
    filedAt,
  };
}

parentPort?.on('message', (q: ScoreQuestion) => {
  let answer: ScoreAnswer;
  try {
    if (q.columns) columns = q.columns;
    if (!columns) answer = { id: q.id, ords: [], needColumns: true };
    else {
      const store = columnsOf(columns.packed, columns.filedAt, q.size);
      answer = { id: q.id, ords: topSimilar(store, q.lists, q.idfs, q.target, q.k) };
    }
  } catch (err) {
    answer = { id: q.id, ords: [], error: String((err as Error)?.message ?? err) };
  }
  parentPort?.postMessage(answer);
});
