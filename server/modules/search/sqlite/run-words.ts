// A query's words against the index: all of them required (provider names raising their providers' cases instead,
// provider-boost.ts); when no case has them all, cases with some of them, more of them first (relaxed mode: a few
// words take subset queries, relaxed-few.ts; more take the pass over every case with any, execute.ts).
import type { ColumnStore } from './columns.ts';
import { type Execution, execute } from './execute.ts';
import { providerBoost } from './provider-boost.ts';
import { RELAXED_FEW_MAX, relaxedFew } from './relaxed-few.ts';
import type { TermPlan } from './term-plan.ts';
import type { Filters, Outcome } from './types.ts';

export function runWords(
  store: ColumnStore,
  terms: TermPlan[],
  base: Pick<Execution, 'sort' | 'k' | 'facets'>,
  f: Filters,
): { out: Outcome; partial: boolean } {
  const { text, boost } = providerBoost(terms, store.providers.values.length);
  const out = execute(store, { ...base, terms: text, boost, mode: text.length ? 'all' : 'browse' }, f);
  // No case has every word (nor every word but the provider names), so none has them all: the relaxed answer.
  if (out.total > 0 || terms.length < 2) return { out, partial: false };
  const relaxed = terms.length <= RELAXED_FEW_MAX ? relaxedFew : execute;
  return { out: relaxed(store, { ...base, terms, boost: null, mode: 'any' }, f), partial: true };
}
