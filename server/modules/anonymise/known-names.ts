import { RANK, type Candidate } from './types.ts';

// Known names change per consumer, so their pattern is built per name list; a small cache keeps
// a bulk import (the same consumer, many cases) from recompiling it on every call.
const CACHE_LIMIT = 256;
const cache = new Map<string, RegExp | null>();
const SPECIAL = /[.*+?^${}()|[\]\\]/g;
const ASCII_WORD = /^[A-Za-z0-9]|[A-Za-z0-9]$/;

/** Normalise, drop names shorter than two characters, longest first (so 张三丰 beats 张三). */
export function cleanNames(names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of names) {
    const name = raw.normalize('NFKC').trim();
    if ([...name].length >= 2) out.add(name);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function patternFor(names: string[]): RegExp | null {
  const key = names.join('\u0000');
  let re = cache.get(key);
  if (re !== undefined) return re;
  // Latin names match case-insensitively and only as whole words ("Li" must not hit "Alipay").
  const parts = names.map((n) => {
    const body = n.replace(SPECIAL, '\\$&');
    return ASCII_WORD.test(n) ? `(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])` : body;
  });
  re = parts.length ? new RegExp(parts.join('|'), 'gi') : null;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, re);
  return re;
}

export function detectKnownNames(text: string, names: string[], out: Candidate[]): void {
  const re = patternFor(names);
  if (!re) return;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ kind: 'name', start: m.index, end: m.index + m[0].length, rank: RANK.knownName });
  }
}

/** Names learnt from a cue in this text ("我叫张三"): Han strings, so a plain search is enough. */
export function detectRepeatedNames(text: string, names: string[], out: Candidate[]): void {
  for (const name of names) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      out.push({ kind: 'name', start: at, end: at + name.length, rank: RANK.cueName });
    }
  }
}
