// How provider words in a query take part (the words come from provider-words.ts, kept per provider in the store).
import { ALIAS_WEIGHT } from './ranking.ts';
import type { TermPlan } from './term-plan.ts';

/**
 * A provider's name among other words ranks that provider's cases first instead of filtering to them: 工行 冻结 is
 * every case about 冻结, ICBC's first. The provider words leave the required terms and add idf × ALIAS_WEIGHT to
 * each case of a provider they name. A query of provider names only keeps them as terms (工行: text or provider).
 */
export function providerBoost(terms: TermPlan[], providers: number): { text: TermPlan[]; boost: Float64Array | null } {
  const named = terms.map((t) => t.aliasOf.includes(1));
  if (!named.includes(true) || !named.includes(false)) return { text: terms, boost: null };
  const boost = new Float64Array(providers + 1);
  terms.forEach((t, j) => {
    if (named[j]) for (let p = 0; p < t.aliasOf.length; p++) if (t.aliasOf[p]) boost[p] += t.idf * ALIAS_WEIGHT;
  });
  return { text: terms.filter((_, j) => !named[j]), boost };
}
