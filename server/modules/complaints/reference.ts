// Reference numbers consumers quote on the phone: TS + the China-time day + a daily sequence, e.g. TS20261122-000123.
import type { Sqlite } from '../../db/database.ts';
import { chinaDay } from '../../lib/china-time.ts';

export function referenceAllocator(sqlite: Sqlite) {
  const bump = sqlite
    .prepare(`INSERT INTO reference_counters (day, last) VALUES (?, 1)
    ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last`)
    .pluck();
  /** Must run inside the transaction that inserts the complaint, so a rolled-back filing gives its number back. */
  return (now: number): string => {
    const day = chinaDay(now).replaceAll('-', '');
    return `TS${day}-${String(bump.get(day) as number).padStart(6, '0')}`;
  };
}
