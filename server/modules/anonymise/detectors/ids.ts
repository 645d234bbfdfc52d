import { RANK, type Candidate } from '../types.ts';
import { contextBefore, digitsOf, looksLikeAmount } from '../context.ts';
import { idCheckValid, validProvinceCode } from '../checksums.ts';

// 18-digit resident ID shaped by its fields: region (6) birth date (8) sequence (3) check (digit or X),
// optionally written 6-8-4 with spaces or dashes. The check character decides unless context says "ID".
const ID18 =
  /(?<![0-9A-Za-z])[1-9]\d{5}[ -]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ -]?\d{3}[\dXx](?![0-9A-Za-z])/g;
// Legacy 15-digit ID: region (6) yymmdd (6) sequence (3); no check digit, so the region must be real.
const ID15 = /(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])/g;
// With an explicit cue any 18/15 character number is an ID, even with a typo in the check digit.
const ID_CUED = /(?:身份证|证件)(?:号码|号)? {0,2}(?:是|为)? {0,2}:? {0,2}(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const ID_CONTEXT = /身份证|证件/;

export function detectIds(text: string, out: Candidate[]): void {
  ID18.lastIndex = 0;
  for (let m = ID18.exec(text); m; m = ID18.exec(text)) {
    const end = m.index + m[0].length;
    const id = digitsOf(m[0]);
    const checked = idCheckValid(id) && validProvinceCode(id);
    if (checked) {
      out.push({ kind: 'id_card', start: m.index, end, rank: RANK.idChecked });
    } else if (contextBefore(text, m.index, 12, ID_CONTEXT)) {
      out.push({ kind: 'id_card', start: m.index, end, rank: RANK.idWithContext });
    }
  }
  ID15.lastIndex = 0;
  for (let m = ID15.exec(text); m; m = ID15.exec(text)) {
    const end = m.index + m[0].length;
    if (validProvinceCode(m[0]) && !looksLikeAmount(text, m.index, end)) {
      out.push({ kind: 'id_card', start: m.index, end, rank: RANK.id15 });
    }
  }
  ID_CUED.lastIndex = 0;
  for (let m = ID_CUED.exec(text); m; m = ID_CUED.exec(text)) {
    const end = m.index + m[0].length;
    out.push({ kind: 'id_card', start: end - m[1].length, end, rank: RANK.idWithContext });
  }
}
