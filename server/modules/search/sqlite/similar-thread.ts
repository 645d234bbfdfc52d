// The similar-cases thread (similar-scorer.ts): scores a draft's chosen doclists against the column store, both read
// in place from shared memory, and answers the k best ords. The same topSimilar as on the request thread, so the
// answer is the same.
import { parentPort } from 'node:worker_threads';
import { ALIVE, CATEGORY_MASK, CATEGORY_SHIFT, PROVIDER_MASK } from './bits.ts';
import { type SimilarColumns, topSimilar } from './similar-merge.ts';
import type { ScoreAnswer, ScoreQuestion } from './similar-scorer.ts';

/** The columns topSimilar reads, over the store's shared arrays as they were when the question was asked. */
function columnsOf(q: ScoreQuestion): SimilarColumns {
  const { packed, size } = q;
  return {
    isAlive: (ord) => ord < size && (packed[ord] & ALIVE) !== 0,
    providerOf: (ord) => packed[ord] & PROVIDER_MASK,
    categoryOf: (ord) => (packed[ord] & CATEGORY_MASK) >>> CATEGORY_SHIFT,
    filedAt: q.filedAt,
  };
}

parentPort?.on('message', (q: ScoreQuestion) => {
  let answer: ScoreAnswer;
  try {
    answer = { id: q.id, ords: topSimilar(columnsOf(q), q.lists, q.idfs, q.target, q.k) };
  } catch (err) {
    answer = { id: q.id, ords: [], error: String((err as Error)?.message ?? err) };
  }
  parentPort?.postMessage(answer);
});
