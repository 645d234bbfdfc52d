// Detection runs on the NFKC form (full-width digits, "＋８６", "（０２１）" become ASCII), but the
// published text keeps the consumer's own writing: "，" and "……" must not turn into "," and "......".
// So findings found in the NFKC text are mapped back onto the input before rendering.
//
// ASCII and CJK unified ideographs are NFKC-stable, so only the other characters ("special" ones,
// typically a few full-width punctuation marks per case) need work: each becomes a breakpoint that
// records where its normalised form sits. Between breakpoints the two texts are identical.

// Also skipped: the stable CJK punctuation that fills Chinese prose (、。〈〉《》「」『』【】— ‘’ “”).
const SPECIAL = /[^\x00-\x7f\u4e00-\u9fff\u3001\u3002\u3008-\u3011\u2014\u2018\u2019\u201c\u201d]/g;
// Code points that attach to the previous one under NFKC: combining marks and Hangul medial/final jamo.
const ATTACHES = /^[\p{M}\u1160-\u11FF\uD7B0-\uD7FF]/u;

function attaches(input: string, i: number): boolean {
  if (i >= input.length) return false;
  const c = input.charCodeAt(i);
  if (c < 0x300 || (c >= 0x3000 && c <= 0x3029) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xff01 && c <= 0xff5e))
    return false;
  return ATTACHES.test(input.slice(i, i + 2));
}
/** NFKC of one segment; full-width ASCII (the common case) is a plain shift. */
function normaliseSegment(input: string, s: number, k: number): string {
  const c = input.charCodeAt(s);
  if (k === s + 1 && c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
  return input.slice(s, k).normalize('NFKC');
}
const codePointLength = (input: string, i: number): number => (input.codePointAt(i)! > 0xffff ? 2 : 1);

export interface OffsetMap {
  /** Input offset where the character at normalised position `j` comes from. */
  start(j: number): number;
  /** Input offset just past the character at normalised position `j - 1`. */
  end(j: number): number;
}

/**
 * Maps positions of `text` (= input.normalize('NFKC')) back to `input`. A segment is one code point
 * plus the marks attached to it, which NFKC normalises independently of its neighbours. Returns
 * null if segment-wise normalisation does not reproduce `text`; callers then render `text` itself.
 */
export function offsetMap(input: string, text: string): OffsetMap | null {
  // Breakpoints: normalised start/end and input start/end of each special segment, in order.
  const nStart: number[] = [];
  const nEnd: number[] = [];
  const iStart: number[] = [];
  const iEnd: number[] = [];
  SPECIAL.lastIndex = 0;
  for (let m = SPECIAL.exec(text === input ? '' : input); m; m = SPECIAL.exec(input)) {
    let s = m.index;
    const last = iEnd.length - 1;
    if (s > 0 && attaches(input, s)) {
      // A mark joins the code point before it; if that one is already a segment, grow the segment.
      if (last >= 0 && iEnd[last] === s) {
        s = iStart[last];
        nStart.pop();
        nEnd.pop();
        iStart.pop();
        iEnd.pop();
      } else {
        s -= 1;
      }
    }
    let k = m.index + codePointLength(input, m.index);
    while (attaches(input, k)) k += codePointLength(input, k);
    SPECIAL.lastIndex = k;
    const prev = iEnd.length - 1;
    const j = prev >= 0 ? nEnd[prev] + (s - iEnd[prev]) : s;
    const seg = normaliseSegment(input, s, k);
    if (text.slice(j, j + seg.length) !== seg) return null;
    nStart.push(j);
    nEnd.push(j + seg.length);
    iStart.push(s);
    iEnd.push(k);
  }
  const n = iEnd.length;
  if ((n ? nEnd[n - 1] + (input.length - iEnd[n - 1]) : input.length) !== text.length) return null;

  // The last breakpoint starting at or before normalised position j, or -1.
  const find = (j: number): number => {
    let lo = 0;
    let hi = n - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (nStart[mid] <= j) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const locate = (j: number): [number, number] => {
    const b = find(j);
    if (b >= 0 && j < nEnd[b]) return [iStart[b], iEnd[b]];
    const at = b >= 0 ? iEnd[b] + (j - nEnd[b]) : j;
    return [at, at + 1]; // an ASCII or CJK character: one code unit, unchanged
  };
  return {
    start: (j) => (j >= text.length ? input.length : locate(j)[0]),
    end: (j) => (j <= 0 ? 0 : locate(j - 1)[1]),
  };
}
