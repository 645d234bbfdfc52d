// Several words, all required: one pass over the rarest word's list that filters, tests the other words (by bitset
// for common words, by a galloping cursor otherwise), counts and scores in place. Building the intersection first
// and scoring it after allocated a megabyte per query and took twice as long.
import { CATEGORY_MASK, CATEGORY_SHIFT, IN_TITLE, PROVIDER_MASK, STATUS_MASK, STATUS_SHIFT } from './bits.ts';
import type { ColumnStore } from './columns.ts';
import { hasBit } from './postings.ts';
import { ALIAS_WEIGHT, B, K1, TITLE_WEIGHT } from './ranking.ts';
import type { TermPlan } from './term-plan.ts';
import type { TopK } from './top-k.ts';
import type { Filters, Outcome } from './types.ts';

/**
 * Every word common (bitsets) and the rarest in more than one case in BITS_LEAD_SHARE: the bitsets are ANDed a word
 * (32 cases) at a time and only the cases in all of them are visited. 提现 失败 at 1,000,000 cases: 234,833 cases
 * of the rarer word probed one by one against the other's bitset, or 31,250 words ANDed and 33,253 cases visited.
 */
const BITS_LEAD_SHARE = 8;

export function allTerms(
  store: ColumnStore,
  terms: TermPlan[],
  sort: 'relevance' | 'newest',
  boost: Float64Array,
  f: Filters,
  out: Outcome,
  top: TopK,
): number {
  const order = terms.map((_, j) => j).sort((a, b) => terms[a].ords.length - terms[b].ords.length);
  const lead = terms[order[0]];
  if (lead.ords.length > store.size / BITS_LEAD_SHARE && terms.every((t) => t.list?.bits && t.list.titleBits)) {
    return allTermsByBits(
      store,
      lead,
      order.slice(1).map((j) => terms[j]),
      sort,
      boost,
      f,
      out,
      top,
    );
  }
  const others = order.slice(1).map((j) => terms[j]);
  const no = others.length;
  const bitsOf = others.map((t) => t.list?.bits ?? null);
  const titleBitsOf = others.map((t) => t.list?.titleBits ?? null);
  const cursor = new Int32Array(no);
  const code = new Uint8Array(no);
  const { packed, filedAt, amount, bodyLen } = store;
  const { mask, want, from, to, amountMin, amountMax } = f;
  const ranged = from > -Infinity || to < Infinity || amountMin > -Infinity || amountMax < Infinity;
  const pc = out.provider,
    cc = out.category,
    sc = out.status;
  const PM = PROVIDER_MASK,
    CM = CATEGORY_MASK,
    CS = CATEGORY_SHIFT,
    SM = STATUS_MASK,
    SS = STATUS_SHIFT;
  const newest = sort === 'newest';
  const lenScale = (K1 * B) / store.avgBodyLen;
  const lenBase = K1 * (1 - B);
  let total = 0;
  let floor = -Infinity;
  let floorTime = -Infinity;
  outer: for (let i = 0; i < lead.ords.length; i++) {
    const ord = lead.ords[i];
    const x = packed[ord];
    if ((x & mask) !== want) continue;
    if (ranged) {
      const t = filedAt[ord],
        a = amount[ord];
      if (t < from || t >= to || a < amountMin || a > amountMax) continue;
    }
    for (let j = 0; j < no; j++) {
      const bits = bitsOf[j];
      if (bits !== null) {
        if (ord >>> 5 >= bits.length || !hasBit(bits, ord)) continue outer;
        code[j] = hasBit(titleBitsOf[j]!, ord) ? IN_TITLE : 0;
      } else {
        const term = others[j];
        const list = term.ords;
        let at = cursor[j];
        while (at < list.length && list[at] < ord) at++;
        cursor[j] = at;
        if (at >= list.length || list[at] !== ord) continue outer;
        code[j] = term.flags[at] & IN_TITLE;
      }
    }
    total++;
    pc[x & PM]++;
    cc[(x & CM) >>> CS]++;
    sc[(x & SM) >>> SS]++;
    if (newest) {
      const t = filedAt[ord];
      if (t < floor) continue;
      top.offer(t, ord, ord);
      floor = top.floor;
      continue;
    }
    const provider = x & PM;
    const bodyWeight = (K1 + 1) / (1 + lenBase + lenScale * bodyLen[ord]);
    let score =
      boost[provider] +
      lead.idf * (lead.flags[i] & IN_TITLE ? TITLE_WEIGHT : lead.aliasOf[provider] ? ALIAS_WEIGHT : bodyWeight);
    for (let j = 0; j < no; j++) {
      const t = others[j];
      score += t.idf * (code[j] !== 0 ? TITLE_WEIGHT : t.aliasOf[provider] ? ALIAS_WEIGHT : bodyWeight);
    }
    // Many cases tie on score (both words in the title): an equal score must also be newer to enter.
    if (score < floor || (score === floor && filedAt[ord] < floorTime)) continue;
    top.offer(score, filedAt[ord], ord);
    floor = top.floor;
    floorTime = top.floorSecondary;
  }
  return total;
}

/** allTerms over the AND of the words' bitsets: the same filters, counts and scores (summed in the same order). */
function allTermsByBits(
  store: ColumnStore,
  lead: TermPlan,
  others: TermPlan[],
  sort: 'relevance' | 'newest',
  boost: Float64Array,
  f: Filters,
  out: Outcome,
  top: TopK,
): number {
  const all = [lead, ...others].map((t) => t.list!.bits!);
  const leadBits = all[0],
    leadTitle = lead.list!.titleBits!;
  const rest = all.slice(1);
  const titleOf = others.map((t) => t.list!.titleBits!);
  const no = others.length;
  const words = Math.min(...all.map((b) => b.length), (store.size + 31) >>> 5);
  const { packed, filedAt, amount, bodyLen } = store;
  const { mask, want, from, to, amountMin, amountMax } = f;
  const ranged = from > -Infinity || to < Infinity || amountMin > -Infinity || amountMax < Infinity;
  const pc = out.provider,
    cc = out.category,
    sc = out.status;
  const newest = sort === 'newest';
  const lenScale = (K1 * B) / store.avgBodyLen;
  const lenBase = K1 * (1 - B);
  let total = 0;
  let floor = -Infinity;
  let floorTime = -Infinity;
  for (let w = 0; w < words; w++) {
    let x = leadBits[w] | 0;
    for (let j = 0; j < no && x !== 0; j++) x &= rest[j][w];
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      const ord = (w << 5) | (31 - Math.clz32(low));
      const p = packed[ord];
      if ((p & mask) !== want) continue;
      if (ranged) {
        const t = filedAt[ord],
          a = amount[ord];
        if (t < from || t >= to || a < amountMin || a > amountMax) continue;
      }
      total++;
      pc[p & PROVIDER_MASK]++;
      cc[(p & CATEGORY_MASK) >>> CATEGORY_SHIFT]++;
      sc[(p & STATUS_MASK) >>> STATUS_SHIFT]++;
      if (newest) {
        const t = filedAt[ord];
        if (t < floor) continue;
        top.offer(t, ord, ord);
        floor = top.floor;
        continue;
      }
      const provider = p & PROVIDER_MASK;
      const bodyWeight = (K1 + 1) / (1 + lenBase + lenScale * bodyLen[ord]);
      let score =
        boost[provider] +
        lead.idf * ((leadTitle[w] & low) !== 0 ? TITLE_WEIGHT : lead.aliasOf[provider] ? ALIAS_WEIGHT : bodyWeight);
      for (let j = 0; j < no; j++) {
        const t = others[j];
        score += t.idf * ((titleOf[j][w] & low) !== 0 ? TITLE_WEIGHT : t.aliasOf[provider] ? ALIAS_WEIGHT : bodyWeight);
      }
      if (score < floor || (score === floor && filedAt[ord] < floorTime)) continue;
      top.offer(score, filedAt[ord], ord);
      floor = top.floor;
      floorTime = top.floorSecondary;
    }
  }
  return total;
}
