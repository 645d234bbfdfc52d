// Queries without words: the board's front page and its filters. Total and facets come from count cubes where the
// filters allow (ColumnStore.cube for categorical filters, AmountIndex for an amount range) and from one pass over
// the date slice of the time order otherwise; the page comes from walking the time order newest first.
import { CATEGORY_MASK, CATEGORY_SHIFT, CELL_MASK, PROVIDER_MASK, STATUS_MASK, STATUS_SHIFT } from './bits.ts';
import type { ColumnStore } from './columns.ts';
import type { TopK } from './top-k.ts';
import type { Filters, Outcome } from './types.ts';

export function browse(store: ColumnStore, f: Filters, out: Outcome, top: TopK): void {
  const dated = f.from > -Infinity || f.to < Infinity;
  const amounted = f.amountMin > -Infinity || f.amountMax < Infinity;
  if (!dated && !amounted) {
    fromCube(store, f, out);
    browseNewest(store, f, top);
  } else if (!dated) {
    browseByAmount(store, f, out);
    browseNewest(store, f, top);
  } else browseCounting(store, f, out, top);
}

export const inRange = (store: ColumnStore, ord: number, f: Filters): boolean => {
  const t = store.filedAt[ord];
  const a = store.amount[ord];
  return t >= f.from && t < f.to && a >= f.amountMin && a <= f.amountMax;
};

/** Newest first over every case, no counting (done elsewhere): walks the time order and stops after a page. */
function browseNewest(store: ColumnStore, f: Filters, top: TopK): void {
  const time = store.timeOrder();
  const { mask, want, amountMin, amountMax } = f;
  offerTail(store, time.builtSize, f, null, top);
  const { packedAt, timeAt, ordAt, amountAt } = time;
  for (let i = 0; i < packedAt.length; i++) {
    if ((packedAt[i] & mask) !== want || amountAt[i] < amountMin || amountAt[i] > amountMax) continue;
    const t = timeAt[i];
    if (top.full && t < top.floor) break; // everything after is older
    top.offer(t, ordAt[i], ordAt[i]);
  }
}

/** Newest first with date or amount filters, counting total and facets over the date slice of the time order. */
function browseCounting(store: ColumnStore, f: Filters, out: Outcome, top: TopK): void {
  const time = store.timeOrder();
  const { mask, want, amountMin, amountMax } = f;
  const pc = out.provider,
    cc = out.category,
    sc = out.status;
  offerTail(store, time.builtSize, f, out, top);
  const { packedAt, timeAt, amountAt, ordAt } = time;
  const [lo, hi] = time.slice(f.from, f.to);
  // Imported constants are module-context loads in V8; local copies let the loop keep them in registers.
  const PM = PROVIDER_MASK,
    CM = CATEGORY_MASK,
    CS = CATEGORY_SHIFT,
    SM = STATUS_MASK,
    SS = STATUS_SHIFT;
  let total = 0;
  let floor = top.floor;
  // Branch-free counting: whether an amount passes is a coin toss the CPU cannot predict, and a mispredicted branch
  // per case doubled the cost of this loop. Facets are counted whether asked for or not (dropped by the caller).
  for (let i = lo; i < hi; i++) {
    const x = packedAt[i];
    const a = amountAt[i];
    const pass = +((x & mask) === want) & +(a >= amountMin) & +(a <= amountMax);
    total += pass;
    pc[x & PM] += pass;
    cc[(x & CM) >>> CS] += pass;
    sc[(x & SM) >>> SS] += pass;
    // After the first k matches of a newest-first walk nothing newer comes: one predictable branch for both tests.
    if ((pass & +(timeAt[i] >= floor)) === 0) continue;
    top.offer(timeAt[i], ordAt[i], ordAt[i]);
    floor = top.floor;
  }
  out.total += total;
}

/** Total and facets of an amount range without a date range: running cubes of the amount order, plus its tail. */
function browseByAmount(store: ColumnStore, f: Filters, out: Outcome): void {
  const amounts = store.amountOrder();
  amounts.count(f, out);
  const { packed } = store;
  for (let ord = amounts.builtSize; ord < store.size; ord++) {
    const x = packed[ord];
    if ((x & f.mask) !== f.want || !inRange(store, ord, f)) continue;
    out.total++;
    out.provider[x & PROVIDER_MASK]++;
    out.category[(x & CATEGORY_MASK) >>> CATEGORY_SHIFT]++;
    out.status[(x & STATUS_MASK) >>> STATUS_SHIFT]++;
  }
}

/** Cases added since the time order was built, visited one by one. */
function offerTail(store: ColumnStore, from: number, f: Filters, out: Outcome | null, top: TopK): void {
  const { packed, filedAt } = store;
  for (let ord = from; ord < store.size; ord++) {
    const x = packed[ord];
    if ((x & f.mask) !== f.want || !inRange(store, ord, f)) continue;
    if (out) {
      out.total++;
      out.provider[x & PROVIDER_MASK]++;
      out.category[(x & CATEGORY_MASK) >>> CATEGORY_SHIFT]++;
      out.status[(x & STATUS_MASK) >>> STATUS_SHIFT]++;
    }
    top.offer(filedAt[ord], ord, ord);
  }
}

/** Total and facets of a text-free query without date or amount filters, from the maintained count cube. */
function fromCube(store: ColumnStore, f: Filters, out: Outcome): void {
  const cellMask = f.mask & CELL_MASK;
  const cellWant = f.want & CELL_MASK;
  for (const [cell, count] of store.cube) {
    if (count === 0 || (cell & cellMask) !== cellWant) continue;
    out.total += count;
    out.provider[cell & PROVIDER_MASK] += count;
    out.category[(cell & CATEGORY_MASK) >>> CATEGORY_SHIFT] += count;
    out.status[(cell & STATUS_MASK) >>> STATUS_SHIFT] += count;
  }
}
