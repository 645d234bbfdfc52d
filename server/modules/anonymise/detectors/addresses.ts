import { RANK, type Candidate } from '../types.ts';
import { isAsciiLetterCode, isDigitCode, isHanCode } from '../context.ts';

// An address is anchored on its house-number tail (88号, 123弄, 5栋, 2单元, 602室): that is what
// makes a place personal, and it is rare in ordinary prose. From each tail we walk left over the
// place name and keep the span only if it holds a place keyword (路, 小区, 市…). A cue (地址, 家住…)
// also opens an address without a tail.
const TAIL = /(?<![0-9])\d{1,5}(?:-\d{1,5})?(?:号楼|号院|号|弄|栋|幢|座|单元|室)(?!线|码|称)/g;
const EXTENSION =
  /(?:[0-9A-Za-z一二三四五六七八九十]{1,6}(?:-\d{1,5})?(?:号楼|号院|号|弄|栋|幢|座|单元|室|楼|层|户)|(?<=单元|栋|幢|座|楼|层)\d{3,5}(?![0-9年月日元块万%.]))/y;
const CUE =
  /(?:收货地址|家庭住址|居住地址|详细地址|联系地址|地址|住址|家住|住在|现住|居住在|寄到|送到|寄往) {0,2}(?:是|为|在)? {0,2}:? {0,2}/g;
// Two characters of place name, then the keyword: "超市3号" or "公园3号门" are not addresses.
const KEYWORD =
  /[\u4e00-\u9fff0-9A-Za-z]{2}(?:省|市|区|县|镇|乡|街道|路|街|大道|巷|弄|胡同|村|小区|花园|公寓|大厦|广场|苑|新村|社区|家园|园区)/;
const KEYWORD_END =
  /(?:省|市|区|县|镇|乡|街道|路|街|大道|巷|弄|胡同|村|小区|花园|公寓|大厦|广场|苑|新村|社区|家园|园区)|\d(?:号楼|号院|号|弄|栋|幢|座|单元|室|楼|层|户)/g;
const PROVINCE =
  /北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门/;
// Words that end the place name when walking: particles and verbs that precede an address. Not 都
// or 将 (成都, 将军路), not 和 (和平路).
const STOP = new Set(
  '在住于是到址至寄往了的给向从把被说与及或但而我你他她们也就还又因所并却让对为以等吗呢吧啊'
    .split('')
    .map((c) => c.charCodeAt(0)),
);
const MAX_WALK = 30;
const MAX_CUED = 60;

const placeChar = (c: number): boolean =>
  (isHanCode(c) && !STOP.has(c)) || isDigitCode(c) || isAsciiLetterCode(c) || c === 45 /* - */ || c === 35 /* # */;

function extendRight(text: string, end: number): number {
  for (;;) {
    EXTENSION.lastIndex = end;
    const m = EXTENSION.exec(text);
    if (!m || m[0].length === 0) return end;
    end += m[0].length;
  }
}

/** Where the place name starts: cut leading words (a cue name, 收件人…) in front of a province. */
function trimStart(text: string, start: number, tailStart: number): number {
  const prefix = text.slice(start, tailStart);
  const p = PROVINCE.exec(prefix);
  if (p && p.index > 0 && !KEYWORD.test(prefix.slice(0, p.index))) return start + p.index;
  return start;
}

export function detectAddresses(text: string, out: Candidate[], hasDigit: boolean): void {
  TAIL.lastIndex = hasDigit ? 0 : text.length;
  for (let m = TAIL.exec(text); m; m = TAIL.exec(text)) {
    const tailStart = m.index;
    if (text.charCodeAt(tailStart - 1) === 0x6708 /* 月: "11月2号" is a date */) continue;
    let start = tailStart;
    while (start > 0 && tailStart - start < MAX_WALK && placeChar(text.charCodeAt(start - 1))) start--;
    start = trimStart(text, start, tailStart);
    if (!KEYWORD.test(text.slice(start, tailStart))) continue;
    const end = extendRight(text, tailStart + m[0].length);
    out.push({ kind: 'address', start, end, rank: RANK.address });
    TAIL.lastIndex = Math.max(TAIL.lastIndex, end);
  }
  CUE.lastIndex = 0;
  for (let m = CUE.exec(text); m; m = CUE.exec(text)) {
    const start = m.index + m[0].length;
    let stop = start;
    while (stop < text.length && stop - start < MAX_CUED && placeChar(text.charCodeAt(stop))) stop++;
    const run = text.slice(start, stop);
    if (!KEYWORD.test(run)) continue;
    // End on the last keyword or house number: "…88号附近一直收不到" keeps "附近一直收不到".
    // Without a house number, one keyword is too little ("送到问题应该自治区"): ask for two.
    let end = 0;
    let keywords = 0;
    let tail = false;
    KEYWORD_END.lastIndex = 0;
    for (let k = KEYWORD_END.exec(run); k; k = KEYWORD_END.exec(run)) {
      end = k.index + k[0].length;
      keywords++;
      if (isDigitCode(run.charCodeAt(k.index))) tail = true;
    }
    if (!tail && keywords < 2) continue;
    out.push({ kind: 'address', start, end: extendRight(text, start + end), rank: RANK.address });
  }
}
