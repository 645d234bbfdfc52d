import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffWindow, DEFAULT_BACKOFF } from '../../server/modules/outbox/backoff.ts';

describe('backoff (pure)', () => {
  it('doubles from 30 s and caps at 1 h', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffWindow(DEFAULT_BACKOFF, n) / 1000)).toEqual([
      30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
  });

  it('full jitter: anywhere in [floor, window], decided by the random source', () => {
    expect(backoffDelay(DEFAULT_BACKOFF, 3, () => 0)).toBe(1000);
    expect(backoffDelay(DEFAULT_BACKOFF, 3, () => 0.5)).toBe(60_000);
    expect(backoffDelay(DEFAULT_BACKOFF, 3, () => 0.999999)).toBe(119_999);
    expect(backoffDelay(DEFAULT_BACKOFF, 20, () => 0.999999)).toBeLessThan(3_600_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(DEFAULT_BACKOFF, 5);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(480_000);
    }
  });
});
