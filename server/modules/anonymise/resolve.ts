import { PLACEHOLDERS, type Candidate, type Finding } from './types.ts';
import type { OffsetMap } from './normalise.ts';

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

/** Drops candidates that touch an existing placeholder. Both lists are sorted by start. */
function withoutProtected(sorted: Candidate[], guard: Array<[number, number]>): Candidate[] {
  if (guard.length === 0) return sorted;
  const kept: Candidate[] = [];
  let g = 0;
  for (const c of sorted) {
    while (g < guard.length && guard[g][1] <= c.start) g++; // guards wholly before c never matter again
    let hit = false;
    for (let h = g; h < guard.length && guard[h][0] < c.end; h++)
      if (guard[h][1] > c.start) {
        hit = true;
        break;
      }
    if (!hit) kept.push(c);
  }
  return kept;
}

function better(a: Candidate, b: Candidate): boolean {
  return a.rank !== b.rank ? a.rank > b.rank : a.end - a.start > b.end - b.start;
}

/**
 * Overlapping candidates become one finding covering their union, named by the most specific
 * (highest rank, then longest) candidate: nothing either detector saw is left in clear text.
 */
export function resolve(text: string, candidates: Candidate[]): Finding[] {
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const live = withoutProtected(candidates, protectedSpans(text));
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
    findings.push({
      kind: best.kind,
      start,
      end,
      original: text.slice(start, end),
      placeholder: PLACEHOLDERS[best.kind],
    });
  }
  return findings;
}

/**
 * Replaces each finding with its placeholder. With a map, the rest of the text is copied from the
 * input as the consumer wrote it; without one, from the normalised text.
 */
export function render(source: string, findings: Finding[], map: OffsetMap | null): string {
  if (findings.length === 0) return source;
  let out = '';
  let at = 0;
  for (const f of findings) {
    const start = map ? map.start(f.start) : f.start;
    const end = map ? map.end(f.end) : f.end;
    out += source.slice(at, start) + f.placeholder;
    at = end;
  }
  return out + source.slice(at);
}
