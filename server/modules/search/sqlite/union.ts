// The relaxed mode's candidates: the union of the words' doclists, each list's flags beside each case (execute.ts
// scores them).
import type { TermPlan } from './term-plan.ts';

/**
 * Cases containing any term (relaxed mode), with each term's flags (0 when absent) beside each case. Two words (the
 * usual relaxed query: no case has both) take a merge of two lists of their own (union2); more, a merge over the
 * lists' heads. At 1,000,000 cases 余额 转出 (no case has both words) is such a query: lists of 300,000 and 120,000
 * cases took 18.7 ms to merge here, 8.7 ms in union2 (median of interleaved runs), all of it on the event loop.
 */
export function union(terms: TermPlan[]): { ords: Int32Array; codes: Uint8Array[] } {
  if (terms.length === 2) return union2(terms[0], terms[1]);
  const cap = terms.reduce((s, t) => s + t.ords.length, 0);
  const ords = new Int32Array(cap);
  const codes = terms.map(() => new Uint8Array(cap));
  const cursor = new Int32Array(terms.length);
  let n = 0;
  for (;;) {
    let next = END;
    for (let j = 0; j < terms.length; j++)
      if (cursor[j] < terms[j].ords.length && terms[j].ords[cursor[j]] < next) next = terms[j].ords[cursor[j]];
    if (next === END) break;
    ords[n] = next;
    for (let j = 0; j < terms.length; j++) {
      if (cursor[j] < terms[j].ords.length && terms[j].ords[cursor[j]] === next)
        codes[j][n] = terms[j].flags[cursor[j]++];
    }
    n++;
  }
  return { ords: ords.subarray(0, n), codes: codes.map((c) => c.subarray(0, n)) };
}

/** Past every ord (ords are below 2^31 − 1). */
const END = 2147483647;

function union2(a: TermPlan, b: TermPlan): { ords: Int32Array; codes: Uint8Array[] } {
  const ao = a.ords,
    bo = b.ords,
    af = a.flags,
    bf = b.flags;
  const na = ao.length,
    nb = bo.length;
  const ords = new Int32Array(na + nb);
  const ca = new Uint8Array(na + nb),
    cb = new Uint8Array(na + nb);
  let i = 0,
    j = 0,
    n = 0;
  // Without a branch on which list is ahead (the two interleave at random, so such a branch is mispredicted about
  // half the time): both cursors move by the outcome of a compare.
  while (i < na && j < nb) {
    const x = ao[i],
      y = bo[j];
    const m = Math.min(x, y);
    const ta = x === m ? 1 : 0,
      tb = y === m ? 1 : 0;
    ords[n] = m;
    ca[n] = af[i] * ta;
    cb[n] = bf[j] * tb;
    i += ta;
    j += tb;
    n++;
  }
  for (; i < na; i++, n++) {
    ords[n] = ao[i];
    ca[n] = af[i];
  }
  for (; j < nb; j++, n++) {
    ords[n] = bo[j];
    cb[n] = bf[j];
  }
  return { ords: ords.subarray(0, n), codes: [ca.subarray(0, n), cb.subarray(0, n)] };
}
