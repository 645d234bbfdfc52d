// The one deadline policy: config's default hours with the per-category overrides. Transitions ask it for a
// complaint's windows (and store the due times they give); sentences written before a complaint exists (home page,
// filing form, inbox, scorecard) ask it for the rules. Nothing else knows a number of hours.
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../complaints/taxonomy.ts';
import { basePolicy, policyFor, type SlaOverrides, type SlaPolicy } from './deadlines.ts';

export interface DeadlineSettings {
  slaDefaults: { firstResponseHours: number; resolutionHours: number };
  slaOverrides: SlaOverrides;
}

export interface WindowRule {
  firstResponseHours: number;
  resolutionHours: number;
}
export interface CategoryRule extends WindowRule {
  category: Category;
  label: string;
}

/** The rules as pages and texts quote them. */
export interface DeadlineRules extends WindowRule {
  warnPercent: number;
  autoCloseDays: number;
  /** Categories whose windows differ from the defaults, in taxonomy order (empty when none). */
  overrides: CategoryRule[];
  /** "未授权扣款：12 小时内首次回复、36 小时内提出解决方案" per override, for one-line mentions. */
  overrideLines: string[];
}

export interface DeadlinePolicy {
  /** The windows a complaint of this category is given when its clocks start. */
  forCategory(category: string): SlaPolicy;
  hoursFor(category: string): WindowRule & { overridden: boolean };
  rules: DeadlineRules;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function deadlinePolicy(settings: DeadlineSettings): DeadlinePolicy {
  const base = basePolicy(settings.slaDefaults);
  const forCategory = (category: string) => policyFor(category, settings.slaOverrides, base);
  const hoursFor = (category: string) => {
    const p = forCategory(category);
    return {
      firstResponseHours: p.firstResponseMs / HOUR,
      resolutionHours: p.resolutionMs / HOUR,
      overridden: p !== base,
    };
  };
  const overrides = CATEGORIES.filter((c) => Object.hasOwn(settings.slaOverrides, c)).map((category): CategoryRule => {
    const { firstResponseHours, resolutionHours } = hoursFor(category);
    return { category, label: CATEGORY_LABELS[category], firstResponseHours, resolutionHours };
  });
  const rules: DeadlineRules = Object.freeze({
    firstResponseHours: base.firstResponseMs / HOUR,
    resolutionHours: base.resolutionMs / HOUR,
    warnPercent: Math.round(base.warnFraction * 100),
    autoCloseDays: Math.round(base.autoCloseMs / DAY),
    overrides,
    overrideLines: overrides.map(
      (o) => `${o.label}：${o.firstResponseHours} 小时内首次回复、${o.resolutionHours} 小时内提出解决方案`,
    ),
  });
  return { forCategory, hoursFor, rules };
}
