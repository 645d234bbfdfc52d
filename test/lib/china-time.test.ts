// China time is UTC+8 all year: a day starts at 16:00 UTC the evening before.
import { describe, expect, it } from 'vitest';
import { chinaDateTime, chinaDay, chinaDayStart, dayStartOf } from '../../server/lib/china-time.ts';

const utc = (s: string) => Date.parse(s);

describe('china-time', () => {
  it('puts 16:00 UTC on the next China day, and the millisecond before it on the same one', () => {
    expect(chinaDay(utc('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(chinaDay(utc('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02');
    expect(chinaDay(utc('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(chinaDateTime(utc('2026-03-01T16:05:30Z'))).toBe('2026-03-02 00:05');
  });

  it('finds the start of a China day from a time in it and from its date, the same instant both ways', () => {
    const start = utc('2026-03-01T16:00:00Z');
    expect(chinaDayStart(utc('2026-03-02T09:00:00Z'))).toBe(start);
    expect(chinaDayStart(start)).toBe(start);
    expect(chinaDayStart(start - 1)).toBe(start - 24 * 3600_000);
    expect(dayStartOf('2026-03-02')).toBe(start);
    expect(chinaDay(dayStartOf('2024-02-29'))).toBe('2024-02-29');
  });
});
