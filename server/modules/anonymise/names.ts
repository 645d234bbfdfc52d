import { RANK, type Candidate } from './types.ts';
import { isHanCode } from './context.ts';
import { NOT_NAMES, STRONG_STOP_SET, WEAK_STOP_SET, WORDS_ENDING_IN_SURNAME, surnameLength } from './surnames.ts';

// A name introduced by a cue: the cue stays, the name goes ("我叫张三" -> "我叫[姓名]").
const CUE_NAME =
  /(我叫|我的名字叫|我的名字是|名字叫|本人姓名|本人|开户名|户名|账户名|持卡人|收款人|收款方|付款人|付款方|收件人|寄件人|签收人|联系人|投诉人|申请人|经办人|负责人|当事人|法定代表人|法人代表|法人|车主|姓名) {0,2}(?:是|为)? {0,2}:? {0,2}([\u4e00-\u9fff]{2,4})/g;
// "本人" and "车主" are often followed by a verb, not a name: hold their names to a stricter test.
const WEAK_CUES = new Set(['本人', '车主']);
const HONORIFIC = /先生|女士|小姐/g;
// What may stand right before a full name in "…张三先生": start of text, punctuation, or these.
const NAME_LEFT = new Set('的了和与跟同给向叫是位个找请对被让及名为称由经服员理管长姓'.split(''));

/** Surname + up to two given-name characters from the start of `s`, or '' when there is no name. */
function takeName(s: string, weak: boolean): string {
  const sl = surnameLength(s);
  if (sl === 0) return '';
  let n = sl;
  while (n < s.length && n < sl + 2) {
    const c = s.charAt(n);
    const stops = n === sl && !weak ? STRONG_STOP_SET : WEAK_STOP_SET;
    if (stops.has(c)) break;
    n++;
  }
  return n > sl && !NOT_NAMES.has(s.slice(0, 2)) ? s.slice(0, n) : '';
}

function leftBoundary(text: string, i: number): boolean {
  if (i === 0) return true;
  const c = text.charCodeAt(i - 1);
  return !isHanCode(c) || NAME_LEFT.has(text.charAt(i - 1));
}

/** The name right before 先生/女士/小姐 ending at `p`: a full name when one fits, else the surname. */
function nameBefore(text: string, p: number): [number, number] | null {
  for (let len = 4; len >= 1; len--) {
    const s = p - len;
    if (s < 0) continue;
    const word = text.slice(s, p);
    const sl = surnameLength(word);
    if (sl === 0 || sl > len) continue;
    if (len === sl) return s > 0 && WORDS_ENDING_IN_SURNAME.has(text.slice(s - 1, s + 1)) ? null : [s, p];
    let given = true;
    for (let i = sl; i < len; i++)
      if (!isHanCode(word.charCodeAt(i)) || WEAK_STOP_SET.has(word.charAt(i))) given = false;
    if (given && len - sl <= 2 && leftBoundary(text, s) && !NOT_NAMES.has(word.slice(0, 2))) return [s, p];
  }
  return null;
}

/** Finds cue names and honorific names; returns the full names found, to remove them everywhere. */
export function detectCueNames(text: string, out: Candidate[]): string[] {
  const found: string[] = [];
  CUE_NAME.lastIndex = 0;
  for (let m = CUE_NAME.exec(text); m; m = CUE_NAME.exec(text)) {
    const name = takeName(m[2], WEAK_CUES.has(m[1]));
    const start = m.index + m[0].length - m[2].length;
    CUE_NAME.lastIndex = start + Math.max(name.length, 1);
    if (!name) continue;
    out.push({ kind: 'name', start, end: start + name.length, rank: RANK.cueName });
    found.push(name);
  }
  HONORIFIC.lastIndex = 0;
  for (let m = HONORIFIC.exec(text); m; m = HONORIFIC.exec(text)) {
    const span = nameBefore(text, m.index);
    if (span) out.push({ kind: 'name', start: span[0], end: span[1], rank: RANK.cueName });
  }
  return found;
}
