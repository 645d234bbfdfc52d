// A query's filters as the masks the scan loops test: provider, category and status packed into one word per case
// (bits.ts), the date and amount ranges as bounds. A value the index has never seen matches nothing.
import { ALIVE, CATEGORY_MASK, CATEGORY_SHIFT, PROVIDER_MASK, STATUS_MASK, STATUS_SHIFT } from './bits.ts';
import type { ColumnStore } from './columns.ts';
import { dictOf, type ValueKind } from './store.ts';
import type { Filters } from './types.ts';
import type { SearchQuery } from '../types.ts';

export function filtersFor(store: ColumnStore, q: SearchQuery): Filters {
  let mask = ALIVE,
    want = ALIVE,
    impossible = false;
  const pick = (kind: ValueKind, v: string | undefined, bits: number, shift: number) => {
    if (typeof v !== 'string' || v === '') return;
    const code = dictOf(store, kind).codes.get(v);
    if (code === undefined) {
      impossible = true;
      return;
    }
    mask |= bits;
    want |= code << shift;
  };
  pick('provider', q.provider, PROVIDER_MASK, 0);
  pick('category', q.category, CATEGORY_MASK, CATEGORY_SHIFT);
  pick('status', q.status, STATUS_MASK, STATUS_SHIFT);
  const num = (v: number | undefined, fallback: number) => (typeof v === 'number' && !Number.isNaN(v) ? v : fallback);
  return {
    mask,
    want,
    impossible,
    from: num(q.from, -Infinity),
    to: num(q.to, Infinity),
    amountMin: num(q.amountMin, -Infinity),
    amountMax: num(q.amountMax, Infinity),
  };
}
