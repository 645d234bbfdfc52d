import { RANK, type Candidate } from '../types.ts';
import { looksLikeAmount } from '../context.ts';

// Mobile: optional +86 / 0086 / (+86) / 86 prefix, then 1[3-9] and nine more digits written 3-4-4,
// 4-3-4 or unbroken, with single spaces or dashes. Bounded, so a long digit run cannot backtrack.
const MOBILE =
  /(?<![0-9A-Za-z+])(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?|86[ -]?)?1[3-9]\d(?:(?:[ -]?\d{4}){2}|\d[ -]\d{3}[ -]\d{4})(?![0-9A-Za-z])/g;

// Landline: area code 010, 02x or 0[3-9]xx (optionally in brackets), then a 7-8 digit local number.
// 400/800 company numbers and short hotlines (95188, 12315) have no area code, so they never match.
const LANDLINE =
  /(?<![0-9A-Za-z])(?:\((?:010|02\d|0[3-9]\d{2})\)|(?:010|02\d|0[3-9]\d{2}))[ -]?\d{3,4}[ -]?\d{4}(?![0-9A-Za-z])/g;

export function detectPhones(text: string, out: Candidate[]): void {
  MOBILE.lastIndex = 0;
  for (let m = MOBILE.exec(text); m; m = MOBILE.exec(text)) {
    const end = m.index + m[0].length;
    if (!looksLikeAmount(text, m.index, end)) out.push({ kind: 'phone', start: m.index, end, rank: RANK.phone });
  }
  LANDLINE.lastIndex = 0;
  for (let m = LANDLINE.exec(text); m; m = LANDLINE.exec(text)) {
    const end = m.index + m[0].length;
    if (!looksLikeAmount(text, m.index, end)) out.push({ kind: 'landline', start: m.index, end, rank: RANK.landline });
  }
}
