// Chinese word segmentation for indexing and for queries, with the payment-terms dictionary loaded.
// Documents are cut in search mode (long words plus their dictionary parts: 数字人民币 -> 数字 人民 人民币 数字人民币),
// queries in precise mode (the longest words), so a query word matches wherever it appears as a word or a part.
import { createRequire } from 'node:module';
import { PAYMENT_TERMS, STOP_WORDS } from './dictionary.ts';

type JiebaModule = typeof import('@node-rs/jieba');
type Jieba = InstanceType<JiebaModule['Jieba']>;

// @node-rs/jieba is a CommonJS native addon whose `dict` subpath has no ESM entry; require() is the reliable way in.
const require = createRequire(import.meta.url);

/** High enough that jieba keeps 微信支付 and 盗刷 whole, low enough that 加工行业 still reads 加工/行业, not 加/工行/业. */
const USER_WORD_FREQ = 3000;

// One tokenizer per process: loading the 350k-word dictionary takes ~100 ms and the instance holds no state that
// depends on a database or a request, so sharing it is like sharing a compiled regular expression.
let shared: Jieba | undefined;
function jieba(): Jieba {
  if (!shared) {
    const { Jieba } = require('@node-rs/jieba') as JiebaModule;
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    shared = Jieba.withDict(dict);
    shared.loadDict(Buffer.from(PAYMENT_TERMS.map((w) => `${w} ${USER_WORD_FREQ}`).join('\n')));
  }
  return shared;
}

/** Loads the dictionary now (about 0.4 s, in one synchronous call) rather than in the first query (warm-up.ts). */
export function loadSegmenter(): void {
  jieba();
}

/** Width-folded, lower-case: ＩＣＢＣ and icbc are one word. */
export const normalize = (text: string): string => text.normalize('NFKC').toLowerCase();

// The FTS5 unicode61 tokenizer treats letters, numbers and private-use characters as token characters and everything
// else as a separator. Splitting the same way here means every token handed to FTS5 stays exactly one token there.
const SEPARATORS = /[^\p{L}\p{N}\p{Co}]+/u;
const HAS_CJK = /\p{Script=Han}/u;

function pushPieces(word: string, out: string[]): void {
  for (const piece of word.split(SEPARATORS)) {
    if (piece && !STOP_WORDS.has(piece)) out.push(piece);
  }
}

/**
 * Tokens of a document field, distinct, in first-seen order. Stop words and punctuation are dropped. Words of five
 * or more characters also yield their four-character dictionary parts (中国工商银行 -> 工商银行), which search mode
 * alone does not produce.
 */
export function indexTokens(text: string): string[] {
  const j = jieba();
  const out: string[] = [];
  for (const word of j.cutForSearch(normalize(text), false)) {
    pushPieces(word, out);
    if (word.length >= 5 && HAS_CJK.test(word)) {
      for (const part of j.cutAll(word)) if (part.length >= 4 && part !== word) out.push(part);
    }
  }
  return [...new Set(out)];
}

/** The words of a text in precise mode, repeats kept, stop words and punctuation dropped. */
export function queryWords(text: string): string[] {
  const out: string[] = [];
  for (const word of jieba().cut(normalize(text), false)) pushPieces(word, out);
  return out;
}

/** The distinct words of a query that take part in matching. */
export const queryTerms = (q: string): string[] => [...new Set(queryWords(q))];

/**
 * The parts of a query word that a document would contain if the word itself was not indexed there (a document
 * that says 工商银行 has no token 中国工商银行, but has 工商 and 银行). Empty when the word has no smaller parts.
 */
export function wordParts(word: string): string[] {
  if (word.length < 3 || !HAS_CJK.test(word)) return [];
  const parts = jieba()
    .cutForSearch(word, false)
    .filter((p) => p !== word && p.length >= 2);
  // Keep a cover of the word by two- and three-character parts, not every overlapping piece (商银 would be noise).
  const cover: string[] = [];
  let at = 0;
  while (at < word.length) {
    const next = parts.filter((p) => word.startsWith(p, at)).sort((a, b) => b.length - a.length)[0];
    if (!next) {
      at += 1;
      continue;
    }
    cover.push(next);
    at += next.length;
  }
  return cover.length > 1 ? cover.filter((p) => !STOP_WORDS.has(p)) : [];
}

/** Pre-segmented text for an FTS5 column: tokens joined by spaces. */
export const joinTokens = (tokens: readonly string[]): string => tokens.join(' ');
