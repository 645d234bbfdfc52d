// Reference numbers consumers quote on the phone: TS + the China-time day + a daily sequence, e.g. TS20261122-000123.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { chinaDay } from './input.ts';

export function nextReference(tx: Db, now: number): string {
  const day = chinaDay(now).replaceAll('-', '');
  const row = tx.get<{ last: number }>(sql`INSERT INTO reference_counters (day, last) VALUES (${day}, 1)
    ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last`);
  return `TS${day}-${String(row.last).padStart(6, '0')}`;
}
