// Template helpers. None returns unescaped user text: SafeString is used only for markup built here from escaped parts.
import type HandlebarsNS from 'handlebars';
import { chinaDateTime, chinaDay } from './china-time.ts';
import { CATEGORY_LABELS, DEMAND_LABELS, type Category, type Demand } from '../modules/complaints/taxonomy.ts';
import { STATUS_LABELS, type Status } from '../modules/complaints/states.ts';

export const formatDateTime = chinaDateTime;
export const formatDate = chinaDay;
// One formatter each for the process: toLocaleString with options builds a new Intl.NumberFormat on every call, and
// a list page formats a few hundred numbers.
const YUAN = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
export const formatFen = (fen: number) => `${YUAN.format(fen / 100)} 元`;

/** Times reach templates as epoch ms (from rows) or ISO strings (from API-shaped view models). */
const toMs = (t: unknown): number | null =>
  typeof t === 'number' ? t : typeof t === 'string' && !Number.isNaN(Date.parse(t)) ? Date.parse(t) : null;

export function registerHelpers(hbs: typeof HandlebarsNS): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // ` aria-invalid="true" aria-describedby="<id>-error"` on a field whose error is shown (field-error.hbs), else nothing;
  // `hint` adds the id of the field's hint. The id is escaped: the attribute text is built here, never from user text.
  hbs.registerHelper('fieldAria', (errors: unknown, id: unknown, ...rest: unknown[]) => {
    const hint = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : '';
    const name = hbs.escapeExpression(String(id));
    const failed = !!errors && typeof errors === 'object' && !!(errors as Record<string, unknown>)[String(id)];
    const describedBy = [hint ? hbs.escapeExpression(hint) : '', failed ? `${name}-error` : '']
      .filter(Boolean)
      .join(' ');
    return new hbs.SafeString(
      `${failed ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}`,
    );
  });
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('includes', (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v));
  hbs.registerHelper('datetime', (t: unknown) => {
    const ms = toMs(t);
    return ms === null ? '' : formatDateTime(ms);
  });
  hbs.registerHelper('date', (t: unknown) => {
    const ms = toMs(t);
    return ms === null ? '' : formatDate(ms);
  });
  hbs.registerHelper('fen', (fen: unknown) => (typeof fen === 'number' ? formatFen(fen) : '—'));
  hbs.registerHelper('statusLabel', (s: unknown) => STATUS_LABELS[s as Status] ?? String(s ?? ''));
  hbs.registerHelper('categoryLabel', (c: unknown) => CATEGORY_LABELS[c as Category] ?? String(c ?? ''));
  hbs.registerHelper('demandLabel', (d: unknown) => DEMAND_LABELS[d as Demand] ?? String(d ?? ''));
  hbs.registerHelper('bytes', (n: unknown) =>
    typeof n !== 'number' ? '' : n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`,
  );
  hbs.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  // 1000003 → 1,000,003: counts on pages are read at a glance.
  hbs.registerHelper('num', (n: unknown) =>
    typeof n === 'number' && Number.isFinite(n) ? formatCount(n) : String(n ?? ''),
  );
  /** Multi-line user text: escaped first, then line breaks become <br>. */
  hbs.registerHelper(
    'multiline',
    (text: unknown) => new hbs.SafeString(hbs.escapeExpression(String(text ?? '')).replace(/\n/g, '<br>')),
  );
}

/** Thousands separators, as Chinese sites print large counts (1,000,003). */
export const formatCount = (n: number): string => COUNT.format(n);
