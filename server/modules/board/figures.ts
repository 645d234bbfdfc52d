// Honest figures: a rate is shown with the number of cases behind it and a 95% Wilson score interval, and not at all
// (样本不足) when fewer than MIN_SAMPLE cases stand behind it — one resolved case is not "100% resolved".
import { formatCount } from '../../lib/view-helpers.ts';

export const MIN_SAMPLE = 10;
const Z95 = 1.959964;

export interface RateFigure {
  /** k / n rounded to 3 places, or null when n < MIN_SAMPLE. */
  rate: number | null;
  n: number;
  /** 95% Wilson score interval, rounded to 3 places; null when n < MIN_SAMPLE. */
  low: number | null;
  high: number | null;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Wilson score interval of k successes in n trials (n > 0). */
export function wilson(k: number, n: number, z = Z95): { low: number; high: number } {
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const margin = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}

export function rateFigure(k: number, n: number): RateFigure {
  if (n < MIN_SAMPLE) return { rate: null, n, low: null, high: null };
  const { low, high } = wilson(k, n);
  return { rate: round3(k / n), n, low: round3(low), high: round3(high) };
}

/** A figure that is not a rate (a median, an average) is still withheld below the minimum sample. */
export const enough = (n: number) => n >= MIN_SAMPLE;

const pct = (x: number, digits = 0) => `${(x * 100).toFixed(digits)}%`;

/** What the page shows for a rate: "78%", or "样本不足" when too few cases stand behind it (none at all: "—"). */
export function rateText(f: RateFigure): string {
  if (f.n === 0) return '—';
  return f.rate === null ? '样本不足' : pct(f.rate);
}

/** The line under a rate: its range and n ("95% 区间 62%–78% · 123 件"), or why it is withheld. */
export function rateDetail(f: RateFigure): string {
  if (f.n === 0) return '暂无数据';
  if (f.rate === null) return `仅 ${f.n} 件，少于 ${MIN_SAMPLE} 件不计算比率`;
  // With many cases the range is narrower than a percent: one decimal, so it does not read "80%–80%".
  const digits = f.high! - f.low! < 0.02 ? 1 : 0;
  return `95% 区间 ${pct(f.low!, digits)}–${pct(f.high!, digits)} · ${formatCount(f.n)} 件`;
}
