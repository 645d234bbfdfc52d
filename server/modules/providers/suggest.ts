// Which listed provider a consumer probably meant: by name and alias, by pinyin (支付保 sounds like 支付宝), by
// initials (zfb), and by near spellings (edit distance). Only listed providers are ever suggested: a pending name
// stays private. Keys are built once per directory version, not per keystroke.
import { pinyin } from 'pinyin-pro';
import type { Provider } from './schema.ts';
import { foldName } from './service.ts';

export const MATCHED_BY = ['name', 'alias', 'pinyin', 'initials', 'spelling'] as const;
export type MatchedBy = (typeof MATCHED_BY)[number];
export interface Suggestion {
  slug: string;
  name: string;
  matchedBy: MatchedBy;
}

interface LabelKeys {
  folded: string;
  spelled: string;
  initials: string;
  isName: boolean;
}
interface ProviderKeys {
  provider: Provider;
  labels: LabelKeys[];
}

const HAN = /\p{Script=Han}/u;
export const SUGGEST_LIMIT = 5;

/** How a label sounds, in plain letters: 支付宝 -> zhifubao; a Latin label is its folded self. */
function spell(folded: string): { spelled: string; initials: string } {
  if (!HAN.test(folded)) return { spelled: folded, initials: '' };
  const syllables = pinyin(folded, { toneType: 'none', type: 'array', v: true }).map((s) => s.toLowerCase());
  return { spelled: syllables.join(''), initials: syllables.map((s) => s[0] ?? '').join('') };
}

function keysOf(p: Provider): ProviderKeys {
  const labels = [p.name, ...p.aliases]
    .map((label, i) => {
      const folded = foldName(label);
      return { folded, ...spell(folded), isName: i === 0 };
    })
    .filter((l) => l.folded.length > 0);
  return { provider: p, labels };
}

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), stopping early past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[t.length]!;
}

/** Edits allowed for a query of this many characters: none for two Chinese characters (中行 is not 农行). */
const allowedEdits = (chars: number, han: boolean) =>
  han ? (chars >= 7 ? 2 : chars >= 3 ? 1 : 0) : chars >= 10 ? 2 : chars >= 5 ? 1 : 0;

/** Lower is better. */
function scoreLabel(
  q: { folded: string; spelled: string; han: boolean },
  l: LabelKeys,
): { score: number; by: MatchedBy } | null {
  const exactBy: MatchedBy = l.isName ? 'name' : 'alias';
  if (q.folded === l.folded) return { score: 0, by: exactBy };
  const chars = [...q.folded].length;
  if (chars >= 2 && l.folded.startsWith(q.folded)) return { score: 1, by: exactBy };
  if (q.spelled.length >= 2 && q.spelled === l.spelled) return { score: 2, by: 'pinyin' };
  if (!q.han && l.initials.length >= 2 && q.folded === l.initials) return { score: 2, by: 'initials' };
  if (!q.han && q.folded.length >= 4 && l.spelled !== l.folded && l.spelled.startsWith(q.folded))
    return { score: 3, by: 'pinyin' };
  const max = allowedEdits(chars, q.han);
  if (max > 0) {
    const d = editDistance(q.folded, l.folded, max);
    if (d <= max) return { score: 3 + d, by: 'spelling' };
  }
  // Sounds nearly alike (支付包 typed with a pinyin keyboard, zhifubo): compared on the spelling, stricter for Chinese.
  const spelledMax = q.han ? allowedEdits(q.spelled.length, false) - 1 : allowedEdits(q.spelled.length, false);
  if (spelledMax > 0 && l.spelled !== l.folded) {
    const d = editDistance(q.spelled, l.spelled, spelledMax);
    if (d <= spelledMax) return { score: 4 + d, by: 'pinyin' };
  }
  return null;
}

export class ProviderSuggester {
  private keys: ProviderKeys[] = [];
  private version = '';

  /** `listed` reads the directory; `version` changes whenever it does (cheap: one aggregate query). */
  constructor(
    private readonly listed: () => Provider[],
    private readonly directoryVersion: () => string,
  ) {}

  private current(): ProviderKeys[] {
    const v = this.directoryVersion();
    if (v !== this.version) {
      this.keys = this.listed().map(keysOf);
      this.version = v;
    }
    return this.keys;
  }

  /** Best first; empty when nothing is close enough. */
  suggest(text: string, limit = SUGGEST_LIMIT): Suggestion[] {
    const folded = foldName(text).slice(0, 60);
    if (!folded) return [];
    const han = HAN.test(folded);
    const q = { folded, spelled: spell(folded).spelled, han };
    const ranked: { p: Provider; score: number; by: MatchedBy }[] = [];
    for (const { provider, labels } of this.current()) {
      let best: { score: number; by: MatchedBy } | null = null;
      for (const l of labels) {
        const s = scoreLabel(q, l);
        if (s && (!best || s.score < best.score)) best = s;
      }
      if (best) ranked.push({ p: provider, ...best });
    }
    ranked.sort((a, b) => a.score - b.score || a.p.id - b.p.id);
    return ranked.slice(0, limit).map((r) => ({ slug: r.p.slug, name: r.p.name, matchedBy: r.by }));
  }
}
