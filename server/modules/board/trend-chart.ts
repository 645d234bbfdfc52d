// The scorecard's 12-month trend as inline SVG, drawn on the server: bars for complaints per month, a line for the
// confirmed resolution rate. Presentation attributes only (no style attributes: the CSP forbids inline styles); every
// piece of text is escaped here, so the result can be handed to the template as safe markup.
import { escapeHtml as esc } from '../../lib/escape-html.ts';
import type { MonthFigures } from './scorecard.ts';

const W = 640;
const H = 240;
const PAD = { left: 44, right: 44, top: 16, bottom: 34 };

/** A round axis maximum at or above `n` (1, 2, 5 × 10^k). */
export function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n)!;
}

export function trendChartSvg(trend: readonly MonthFigures[], providerName: string): string {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...trend.map((m) => m.complaints)));
  const step = innerW / Math.max(1, trend.length);
  const barW = Math.max(4, step * 0.6);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const yRate = (r: number) => PAD.top + innerH - r * innerH;
  const x = (i: number) => PAD.left + step * i + step / 2;
  const parts: string[] = [];
  for (const f of [0, 0.5, 1]) {
    const gy = PAD.top + innerH - f * innerH;
    parts.push(
      `<line x1="${PAD.left}" y1="${gy}" x2="${W - PAD.right}" y2="${gy}" stroke="#e3e6eb" stroke-width="1"/>`,
    );
    // Counts are whole: a half-way line of a 1-case axis gets no label rather than a second "1".
    if (Number.isInteger(max * f))
      parts.push(
        `<text x="${PAD.left - 6}" y="${gy + 4}" text-anchor="end" font-size="11" fill="#667085">${max * f}</text>`,
      );
    parts.push(
      `<text x="${W - PAD.right + 6}" y="${gy + 4}" font-size="11" fill="#1f7a3f">${Math.round(f * 100)}%</text>`,
    );
  }
  trend.forEach((m, i) => {
    const rateLabel =
      m.confirmedResolutionRate !== null
        ? `，确认解决率 ${Math.round(m.confirmedResolutionRate * 100)}%`
        : m.complaints > 0
          ? `，已结束 ${m.finished} 件，样本不足`
          : '';
    const label = `${m.month}：投诉 ${m.complaints} 件${rateLabel}`;
    const top = y(m.complaints);
    // A thin month (too few finished cases for a rate) is drawn pale, so nobody reads a trend into it.
    parts.push(
      `<rect x="${(x(i) - barW / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + innerH - top).toFixed(1)}" fill="#c4282b" opacity="${m.thin ? 0.3 : 0.75}" data-thin="${m.thin}"><title>${esc(label)}</title></rect>`,
    );
    parts.push(
      `<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11" fill="#667085">${esc(`${Number(m.month.slice(5))}月`)}</text>`,
    );
  });
  const points = trend.map((m, i) =>
    m.confirmedResolutionRate === null ? null : `${x(i).toFixed(1)},${yRate(m.confirmedResolutionRate).toFixed(1)}`,
  );
  // One polyline per unbroken run of months that have a rate.
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1)
      parts.push(`<polyline points="${run.join(' ')}" fill="none" stroke="#1f7a3f" stroke-width="2"/>`);
    run = [];
  };
  for (const p of points) {
    if (p) run.push(p);
    else flush();
  }
  flush();
  for (const p of points)
    if (p) {
      const [cx, cy] = p.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="#1f7a3f"/>`);
    }
  const first = trend[0]?.month ?? '';
  const last = trend.at(-1)?.month ?? '';
  const summary = `${providerName} ${first} 至 ${last} 每月投诉量（柱）与确认解决率（线）`;
  return (
    `<svg class="trend" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="trend-title trend-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="trend-title">${esc(summary)}</title>` +
    `<desc id="trend-desc">${esc(trend.map((m) => `${m.month} 投诉 ${m.complaints} 件${m.thin && m.complaints > 0 ? '（样本不足）' : ''}`).join('；'))}</desc>` +
    parts.join('') +
    `</svg>`
  );
}
