// Reading a complaint from a form or JSON, after its schema (schemas.ts: types, lists, ranges, required fields) has
// passed: text is normalised and measured after trimming, yuan become fen, the date is a real day not in the future.
// Each problem is named beside its field, in Chinese.
import type { Clock } from '../../lib/clock.ts';
import { chinaDay } from '../../lib/china-time.ts';
import { Fields } from '../../lib/validate.ts';
import { DEMANDS, type Category, type Demand } from './taxonomy.ts';

export interface ComplaintInput {
  provider: string;
  category: Category;
  title: string;
  description: string;
  demands: Demand[];
  amountFen: number | null;
  incidentDate: string | null;
  transactionRef: string | null;
  contactPhone: string | null;
  shareContact: boolean;
  consent: 'public' | 'private';
}

/** The filed facts a complaint row stores as given (everything but the provider, which is stored as its id). */
export const STORED_FIELDS = [
  'category',
  'title',
  'description',
  'demands',
  'amountFen',
  'incidentDate',
  'transactionRef',
  'contactPhone',
  'shareContact',
  'consent',
] as const satisfies readonly (keyof ComplaintInput)[];
export type StoredFields = Pick<ComplaintInput, (typeof STORED_FIELDS)[number]>;

/** The stored facts of a complaint (a row or an input), by the one list: intake writes them, an edit compares them. */
export const storedFields = <T extends Record<(typeof STORED_FIELDS)[number], unknown>>(
  c: T,
): Pick<T, (typeof STORED_FIELDS)[number]> =>
  Object.fromEntries(STORED_FIELDS.map((k) => [k, c[k]])) as Pick<T, (typeof STORED_FIELDS)[number]>;

// provider: a name typed by a consumer may become a (pending) provider's name: kept as short as any directory name.
export const LIMITS = {
  titleMin: 4,
  title: 60,
  descriptionMin: 20,
  description: 5000,
  provider: 40,
  transactionRef: 64,
  maxAmountFen: 100_000_000_00,
} as const;

/** The consumer's calendar day (China Standard Time, no DST) for an instant. */

function readAmount(f: Fields, raw: Record<string, unknown>): number | null {
  // JSON clients send integer fen (its range is the schema's); the form sends yuan as typed ("569.78").
  if (typeof raw.amountFen === 'number') return raw.amountFen;
  const y = raw.amountYuan;
  if (y === undefined || y === null || y === '') return null;
  const s = String(y)
    .normalize('NFKC')
    .replace(/[,，\s元¥￥]/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) {
    f.fail('amountYuan', '涉诉金额请填写数字，最多两位小数，例如 569.78');
    return null;
  }
  if (s.startsWith('-')) {
    f.fail('amountYuan', '涉诉金额不能为负数');
    return null;
  }
  const [whole, frac = ''] = s.split('.');
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen) || fen > LIMITS.maxAmountFen) {
    f.fail('amountYuan', '涉诉金额超出范围');
    return null;
  }
  return fen;
}

function readDate(f: Fields, raw: Record<string, unknown>, clock: Clock): string | null {
  const v = raw.incidentDate;
  if (v === undefined || v === null || v === '') return null;
  // The schema checks the shape; 2026-02-30 has the shape but is no day.
  if (
    typeof v !== 'string' ||
    Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ||
    new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v
  ) {
    f.fail('incidentDate', '发生日期格式应为 年-月-日，例如 2026-11-02');
    return null;
  }
  if (v > chinaDay(clock.now())) {
    f.fail('incidentDate', '发生日期不能晚于今天');
    return null;
  }
  if (v < '2000-01-01') {
    f.fail('incidentDate', '发生日期过早，请检查');
    return null;
  }
  return v;
}

export function readComplaint(raw: Record<string, unknown>, clock: Clock): ComplaintInput {
  const f = new Fields(raw);
  const provider = f.string('provider', '投诉对象（机构）', { required: true, max: LIMITS.provider });
  const title = f.string('title', '投诉标题', { required: true, min: LIMITS.titleMin, max: LIMITS.title });
  const description = f.string('description', '投诉内容', {
    required: true,
    min: LIMITS.descriptionMin,
    max: LIMITS.description,
    multiline: true,
  });
  // A list the schema cannot name per item on the form's field: each demand is checked here, on `demands`.
  const demands = f.list('demands', '投诉要求', DEMANDS);
  const amountFen = readAmount(f, raw);
  const incidentDate = readDate(f, raw, clock);
  const transactionRef = f.string('transactionRef', '交易单号', { max: LIMITS.transactionRef });
  const contactPhone = f.string('contactPhone', '联系电话', { max: 20 });
  if (contactPhone !== null && !/^\+?[\d\s-]{5,20}$/.test(contactPhone.normalize('NFKC')))
    f.fail('contactPhone', '联系电话格式不正确');
  f.done();
  return {
    provider: provider!,
    category: raw.category as Category,
    title: title!,
    description: description!,
    demands,
    amountFen,
    incidentDate,
    transactionRef,
    contactPhone: contactPhone?.normalize('NFKC') ?? null,
    shareContact: f.boolean('shareContact'),
    consent: raw.consent as ComplaintInput['consent'],
  };
}
