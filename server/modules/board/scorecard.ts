// Provider scorecards read from the maintained aggregates: a few dozen month rows and a histogram, never the cases.
// Cached per provider until the board's hook reports a change or another connection (an import) commits.
import { sql } from 'drizzle-orm';
import type { Db, Sqlite } from '../../db/database.ts';
import type { Provider } from '../providers/schema.ts';
import type { DeadlineRules } from '../sla/policy.ts';
import { chinaDay } from '../../lib/china-time.ts';
import { MIN_SAMPLE, enough, rateFigure, type RateFigure } from './figures.ts';

export interface MonthFigures {
  month: string;
  complaints: number;
  replyRate: number | null;
  onTimeFirstResponseRate: number | null;
  confirmedResolutionRate: number | null;
  /** Finished cases behind the month's resolution rate; `thin` when fewer than the minimum sample (样本不足). */
  finished: number;
  thin: boolean;
}

export interface Scorecard {
  slug: string;
  name: string;
  hotline: string | null;
  verified: boolean;
  complaints: number;
  replyRate: number | null;
  onTimeFirstResponseRate: number | null;
  medianFirstResponseHours: number | null;
  confirmedResolutionRate: number | null;
  averageRating: number | null;
  /** Each figure's n, and for rates the 95% Wilson interval; a figure with fewer than minimumSample cases is null. */
  figures: {
    replyRate: RateFigure;
    onTimeFirstResponseRate: RateFigure;
    confirmedResolutionRate: RateFigure;
    medianFirstResponseHours: { n: number };
    averageRating: { n: number };
  };
  minimumSample: number;
  /** The counts behind the rates, so a reader can check them. */
  counts: {
    replied: number;
    firstResponseDecided: number;
    firstResponseOnTime: number;
    finished: number;
    resolved: number;
    rated: number;
  };
  /** The last 12 months, oldest first, by filing month (China time). */
  trend: MonthFigures[];
  asOf: string;
}

interface Sums {
  complaints: number;
  replied: number;
  decided: number;
  onTime: number;
  finished: number;
  resolved: number;
  points: number;
  parts: number;
}

const rate = (num: number, den: number) => rateFigure(num, den).rate;
const average = (points: number, parts: number) => (enough(parts / 3) ? Math.round((points / parts) * 10) / 10 : null);

/** YYYY-MM of the last `n` months up to and including the month of `now`, oldest first. */
export function lastMonths(now: number, n: number): string[] {
  const [y, m] = chinaDay(now).split('-').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const k = y * 12 + (m - 1) - (n - 1 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

/** Median of a histogram of tenths of an hour, in hours (one decimal). */
export function medianOfHistogram(bins: readonly { tenths: number; n: number }[]): number | null {
  const total = bins.reduce((s, b) => s + b.n, 0);
  if (total === 0) return null;
  const at = (rank: number) => {
    let seen = 0;
    for (const b of bins) {
      seen += b.n;
      if (seen > rank) return b.tenths;
    }
    return bins.at(-1)!.tenths;
  };
  const mid = (at(Math.floor((total - 1) / 2)) + at(Math.floor(total / 2))) / 2;
  return Math.round(mid) / 10;
}

export class Scorecards {
  private readonly cache = new Map<number, { key: string; card: Scorecard }>();
  private version = 0;

  constructor(
    private readonly db: Db,
    private readonly sqlite: Sqlite,
  ) {}

  /** Called by the board's hook whenever a case's contribution changed. */
  invalidate(): void {
    this.version += 1;
  }

  for(provider: Provider, now: number): Scorecard {
    const key = `${this.version}:${this.sqlite.pragma('data_version', { simple: true })}:${chinaDay(now)}`;
    const hit = this.cache.get(provider.id);
    if (hit && hit.key === key) return hit.card;
    const card = this.compute(provider, now);
    this.cache.set(provider.id, { key, card });
    return card;
  }

  /** Headline numbers for every provider at once (the directory page). */
  summaries(): Map<
    number,
    { complaints: number; replyRate: RateFigure; confirmedResolutionRate: RateFigure; averageRating: number | null }
  > {
    const rows = this.db.all<
      Sums & { providerId: number }
    >(sql`SELECT provider_id AS providerId, sum(complaints) AS complaints,
      sum(replied) AS replied, sum(finished) AS finished, sum(resolved) AS resolved, sum(rating_points) AS points, sum(rating_parts) AS parts
      FROM provider_month_stats GROUP BY provider_id`);
    return new Map(
      rows.map((r) => [
        r.providerId,
        {
          complaints: r.complaints,
          replyRate: rateFigure(r.replied, r.complaints),
          confirmedResolutionRate: rateFigure(r.resolved, r.finished),
          averageRating: average(r.points, r.parts),
        },
      ]),
    );
  }

  private compute(p: Provider, now: number): Scorecard {
    const months = this.db.all<
      Sums & { month: string }
    >(sql`SELECT month, complaints, replied, first_response_decided AS decided,
      first_response_on_time AS onTime, finished, resolved, rating_points AS points, rating_parts AS parts
      FROM provider_month_stats WHERE provider_id = ${p.id}`);
    const t: Sums = { complaints: 0, replied: 0, decided: 0, onTime: 0, finished: 0, resolved: 0, points: 0, parts: 0 };
    for (const m of months) for (const k of Object.keys(t) as (keyof Sums)[]) t[k] += m[k];
    const bins = this.db.all<{ tenths: number; n: number }>(sql`SELECT tenths, sum(n) AS n FROM provider_response_hist
      WHERE provider_id = ${p.id} GROUP BY tenths HAVING sum(n) > 0 ORDER BY tenths`);
    const byMonth = new Map(months.map((m) => [m.month, m]));
    const figures = {
      replyRate: rateFigure(t.replied, t.complaints),
      onTimeFirstResponseRate: rateFigure(t.onTime, t.decided),
      confirmedResolutionRate: rateFigure(t.resolved, t.finished),
      medianFirstResponseHours: { n: t.replied },
      averageRating: { n: t.parts / 3 },
    };
    return {
      slug: p.slug,
      name: p.name,
      hotline: p.hotline,
      verified: p.verified,
      complaints: t.complaints,
      replyRate: figures.replyRate.rate,
      onTimeFirstResponseRate: figures.onTimeFirstResponseRate.rate,
      medianFirstResponseHours: enough(t.replied) ? medianOfHistogram(bins) : null,
      confirmedResolutionRate: figures.confirmedResolutionRate.rate,
      averageRating: average(t.points, t.parts),
      figures,
      minimumSample: MIN_SAMPLE,
      counts: {
        replied: t.replied,
        firstResponseDecided: t.decided,
        firstResponseOnTime: t.onTime,
        finished: t.finished,
        resolved: t.resolved,
        rated: t.parts / 3,
      },
      trend: lastMonths(now, 12).map((month) => {
        const m = byMonth.get(month);
        return {
          month,
          complaints: m?.complaints ?? 0,
          replyRate: m ? rate(m.replied, m.complaints) : null,
          onTimeFirstResponseRate: m ? rate(m.onTime, m.decided) : null,
          confirmedResolutionRate: m ? rate(m.resolved, m.finished) : null,
          finished: m?.finished ?? 0,
          thin: (m?.finished ?? 0) < MIN_SAMPLE,
        };
      }),
      asOf: new Date(now).toISOString(),
    };
  }
}

/** What each number means, shown beside it on the page and returned by the API; the deadline is the policy's. */
export function scorecardDefinitions(
  rules: Pick<DeadlineRules, 'firstResponseHours' | 'overrides'>,
): Readonly<Record<string, string>> {
  const others = rules.overrides.map((o) => `；${o.label}类投诉 ${o.firstResponseHours} 小时内`).join('');
  return {
    complaints: '投诉量：平台审核通过并转交给该机构的投诉数（含消费者选择不公开的投诉，只计数，不展示内容）。',
    replyRate: '回复率：已转交的投诉中，机构至少回复过一次（回复、请求补充信息或提出解决方案）的比例。',
    onTimeFirstResponseRate: `按时首次回复率：已有结论的投诉（机构已回复，或已超过时限）中，在该投诉自己的首次回复时限内回复的比例（时限在转交时按平台规则确定：转交后 ${rules.firstResponseHours} 小时内${others}）。`,
    medianFirstResponseHours: '首次回复时长中位数：从转交到机构首次回复的小时数的中位数，只统计已回复的投诉。',
    confirmedResolutionRate:
      '确认解决率：已结束的投诉（已解决、消费者未确认而关闭、未解决关闭）中，由消费者本人确认“已解决”的比例。消费者未确认而关闭的不算解决；撤诉的投诉不计入。',
    averageRating: '平均评分：消费者确认解决时对服务态度、处理速度、满意度三项打分（1-5 分）的平均值。',
    trend:
      '近 12 个月趋势：按投诉提交月份（北京时间）统计的投诉量与确认解决率；当月已结束的投诉少于 10 件时不画比率（样本不足）。',
    sample:
      '样本不足：一个比率背后少于 10 件投诉时不计算，只显示件数；比率旁的“95% 区间”是 Wilson 区间，件数越少区间越宽。',
  };
}
