import { PLACEHOLDERS, type Candidate, type Finding } from './types.ts';

// Placeholders already in the text (a second pass, or a moderator's edit) are never re-detected:
// this is what makes anonymise() idempotent.
const EXISTING = /\[(?:手机号|身份证号|银行卡号|邮箱|姓名|地址|账号|车牌|电话|单号)\]/g;

function protectedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (!text.includes('[')) return spans;
  EXISTING.lastIndex = 0;
  for (let m = EXISTING.exec(text); m; m = EXISTING.exec(text)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

function better(a: Candidate, b: Candidate): boolean {
  return a.rank !== b.rank ? a.rank > b.rank : a.end - a.start > b.end - b.start;
}

/**
 * Overlapping candidates become one finding covering their union, named by the most specific
 * (highest rank, then longest) candidate: nothing either detector saw is left in clear text.
 */
export function resolve(text: string, candidates: Candidate[]): Finding[] {
  const guard = protectedSpans(text);
  const live = guard.length === 0 ? candidates : candidates.filter((c) => !guard.some(([s, e]) => c.start < e && s < c.end));
  live.sort((a, b) => a.start - b.start || b.end - a.end);
  const findings: Finding[] = [];
  let i = 0;
  while (i < live.length) {
    let best = live[i];
    const start = best.start;
    let end = best.end;
    for (i++; i < live.length && live[i].start < end; i++) {
      if (live[i].end > end) end = live[i].end;
      if (better(live[i], best)) best = live[i];
    }
    findings.push({ kind: best.kind, start, end, original: text.slice(start, end), placeholder: PLACEHOLDERS[best.kind] });
  }
  return findings;
}

export function render(text: string, findings: Finding[]): string {
  if (findings.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + f.placeholder;
    at = f.end;
  }
  return out + text.slice(at);
}
