// The deadline policy's settings: the default windows (SLA_FIRST_RESPONSE_HOURS, SLA_RESOLUTION_HOURS) and the
// per-category overrides (SLA_OVERRIDES), read and checked like every other setting (config.ts).
import { readInt, type Env } from './lib/env-readers.ts';
import { CATEGORIES } from './modules/complaints/taxonomy.ts';
import { DEFAULT_HOURS } from './modules/sla/deadlines.ts';

export type SlaDefaults = { readonly firstResponseHours: number; readonly resolutionHours: number };
export type SlaOverrides = Readonly<
  Record<string, Readonly<{ firstResponseHours?: number; resolutionHours?: number }>>
>;

/** SLA_OVERRIDES: a JSON object from category slug to {firstResponseHours?, resolutionHours?} (hours, 1 to 720). */
export function readSlaOverrides(env: Env, problems: string[]): SlaOverrides {
  const raw = env.SLA_OVERRIDES;
  if (raw === undefined || raw === '') return Object.freeze({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push(`SLA_OVERRIDES must be JSON, e.g. {"unauthorized-debit":{"firstResponseHours":12}} (got "${raw}")`);
    return Object.freeze({});
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push('SLA_OVERRIDES must be a JSON object keyed by category');
    return Object.freeze({});
  }
  const out: Record<string, { firstResponseHours?: number; resolutionHours?: number }> = {};
  for (const [category, value] of Object.entries(parsed)) {
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      problems.push(`SLA_OVERRIDES: unknown category "${category}" (one of ${CATEGORIES.join(', ')})`);
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`SLA_OVERRIDES.${category} must be an object`);
      continue;
    }
    const entry: { firstResponseHours?: number; resolutionHours?: number } = {};
    for (const [key, hours] of Object.entries(value as Record<string, unknown>)) {
      if (key !== 'firstResponseHours' && key !== 'resolutionHours') {
        problems.push(`SLA_OVERRIDES.${category}: unknown key "${key}" (firstResponseHours, resolutionHours)`);
        continue;
      }
      if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 1 || hours > 720) {
        problems.push(`SLA_OVERRIDES.${category}.${key} must be a number of hours between 1 and 720`);
        continue;
      }
      entry[key] = hours;
    }
    out[category] = Object.freeze(entry);
  }
  return Object.freeze(out);
}

/** SLA_FIRST_RESPONSE_HOURS / SLA_RESOLUTION_HOURS: the default windows every text about a deadline quotes. */
export function readSlaDefaults(env: Env, problems: string[]): SlaDefaults {
  const firstResponseHours = readInt(
    env,
    'SLA_FIRST_RESPONSE_HOURS',
    DEFAULT_HOURS.firstResponseHours,
    1,
    720,
    problems,
  );
  const resolutionHours = readInt(env, 'SLA_RESOLUTION_HOURS', DEFAULT_HOURS.resolutionHours, 1, 720, problems);
  if (resolutionHours < firstResponseHours) {
    problems.push(
      `SLA_RESOLUTION_HOURS (${resolutionHours}) must be at least SLA_FIRST_RESPONSE_HOURS (${firstResponseHours}): a solution cannot be due before the first answer`,
    );
  }
  return Object.freeze({ firstResponseHours, resolutionHours });
}
