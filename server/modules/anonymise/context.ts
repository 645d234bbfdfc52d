// Shared guards for the numeric detectors. Every regex here is compiled once, at module load.

const AMOUNT_AFTER = /^ {0,2}(?:元|块|角|万|亿|%|‰|美元|美金|港元|港币|欧元|日元|英镑|RMB|rmb|CNY|cny|USD|usd)|^\.\d/;
const AMOUNT_BEFORE = /(?:[¥$€£]|RMB|rmb|CNY|人民币|金额|余额) {0,2}$/;

/** A digit span that is really a sum of money ("13812345678.00元", "¥13812345678"). */
export function looksLikeAmount(text: string, start: number, end: number): boolean {
  return AMOUNT_AFTER.test(text.slice(end, end + 4)) || AMOUNT_BEFORE.test(text.slice(Math.max(0, start - 5), start));
}

/** Whether `re` matches within the `window` characters before `start`. */
export function contextBefore(text: string, start: number, window: number, re: RegExp): boolean {
  return re.test(text.slice(Math.max(0, start - window), start));
}

/** Strip the separators people type inside numbers. */
export function digitsOf(s: string): string {
  return s.replace(SEPARATORS, '');
}
const SEPARATORS = /[ \-()+]/g;

export const isHanCode = (c: number): boolean => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
export const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
export const isAsciiLetterCode = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
