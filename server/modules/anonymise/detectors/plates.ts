import { RANK, type Candidate } from '../types.ts';

// Province abbreviation, issuing-office letter (no I/O), optional dot, then 5 characters (regular
// plates, or 4 + 挂/学/警/港/澳) or 6 (new-energy, e.g. 粤B·D12345).
const PLATE =
  /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Za-hj-np-z][·・•. -]?(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}(?![A-Za-z0-9])|[A-HJ-NP-Za-hj-np-z0-9]{4}[挂学警港澳])/g;
// Real plates carry at most two letters after the office letter; this keeps "新MATE60" and the like out.
const MIN_TAIL_DIGITS = 3;

export function detectPlates(text: string, out: Candidate[]): void {
  PLATE.lastIndex = 0;
  for (let m = PLATE.exec(text); m; m = PLATE.exec(text)) {
    let digits = 0;
    for (let i = 2; i < m[0].length; i++) {
      const c = m[0].charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
    }
    if (digits >= MIN_TAIL_DIGITS)
      out.push({ kind: 'plate', start: m.index, end: m.index + m[0].length, rank: RANK.plate });
  }
}
