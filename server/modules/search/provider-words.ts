// The words that name a provider in search: its display name and aliases, each cut in precise mode (the way a query
// is cut), without product words. Parts are left out on purpose: 工商银行数字钱包 yields 工商银行 and 数字钱包, not
// 钱包 or 银行, so a reader typing 钱包 or 余额 gets the cases that say it rather than every case of one provider. An
// alias that cuts into several Chinese words (蚂蚁集团, 数字人民币钱包) gives none of them (集团 and 钱包 name no provider);
// Latin ones keep their pieces, because the query 'WeChat Pay' arrives as wechat and pay.
import { PRODUCT_WORDS } from './provider-aliases.ts';
import { normalize, queryWords } from './segment.ts';

const HAN = /\p{Script=Han}/u;
const PRODUCTS = new Set([...PRODUCT_WORDS].map(normalize));

export const isProductWord = (word: string): boolean => PRODUCTS.has(normalize(word));

/** The aliases that name the provider itself (product words dropped), as given. */
export const providerAliasesOnly = (aliases: readonly string[]): string[] => aliases.filter((a) => !isProductWord(a));

/** Distinct words naming a provider, in first-seen order. */
export function providerWords(name: string, aliases: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of [name, ...providerAliasesOnly(aliases)]) {
    const words = queryWords(text).filter((w) => !PRODUCTS.has(w));
    for (const w of words) if (words.length === 1 || !HAN.test(w)) out.add(w);
  }
  // A provider known only by a name of several words (a bulk import's 某某银行手机银行) is still found by them.
  if (out.size === 0) for (const w of queryWords(name)) if (!PRODUCTS.has(w)) out.add(w);
  return [...out];
}

/** providerWords per name and aliases, kept: every case of a provider names it the same way (bounded, then cleared). */
export class ProviderWordCache {
  private readonly words = new Map<string, string[]>();

  of(name: string, aliases: readonly string[]): string[] {
    const key = [name, ...aliases].join('\n');
    let tokens = this.words.get(key);
    if (!tokens) {
      tokens = providerWords(name, aliases);
      if (this.words.size > 10_000) this.words.clear();
      this.words.set(key, tokens);
    }
    return tokens;
  }
}
