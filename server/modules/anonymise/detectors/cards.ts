import { RANK, type Candidate } from '../types.ts';
import { contextBefore, digitsOf, looksLikeAmount } from '../context.ts';
import { luhnValid } from '../checksums.ts';

// 16-19 digits: unbroken, in groups of four (the last group may be short), or 6 + rest.
const CARD =
  /(?<![0-9A-Za-z])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?(?![ -]\d)|\d{6}[ -]\d{10,13})(?![0-9A-Za-z])/g;
const CARD_CONTEXT = /卡|尾号|账号|帐号|账户|帐户/;

/**
 * Luhn is confidence, not proof: UnionPay (62…) numbers are taken on shape alone, and a card cue
 * (卡号, 尾号, 银行卡, 账户…) just before the number is enough even when Luhn fails.
 */
export function detectBankCards(text: string, out: Candidate[]): void {
  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m; m = CARD.exec(text)) {
    const end = m.index + m[0].length;
    const digits = digitsOf(m[0]);
    if (digits.length < 16 || digits.length > 19 || looksLikeAmount(text, m.index, end)) continue;
    if (contextBefore(text, m.index, 12, CARD_CONTEXT)) {
      out.push({ kind: 'bank_card', start: m.index, end, rank: RANK.bankWithContext });
    } else if (luhnValid(digits) || digits.startsWith('62')) {
      out.push({ kind: 'bank_card', start: m.index, end, rank: RANK.bank });
    }
  }
}
