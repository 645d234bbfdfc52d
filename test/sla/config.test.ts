// SLA_OVERRIDES: read once at boot, validated, frozen; a bad value stops the process naming the problem.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

const load = (SLA_OVERRIDES?: string) =>
  loadConfig({ DATABASE_PATH: ':memory:', ...(SLA_OVERRIDES === undefined ? {} : { SLA_OVERRIDES }) });

describe('SLA_OVERRIDES', () => {
  it('defaults to no overrides', () => {
    expect(load().slaOverrides).toEqual({});
  });

  it('reads per-category hours', () => {
    const c = load(
      '{"unauthorized-debit":{"firstResponseHours":12},"account-frozen":{"firstResponseHours":6,"resolutionHours":24.5}}',
    );
    expect(c.slaOverrides).toEqual({
      'unauthorized-debit': { firstResponseHours: 12 },
      'account-frozen': { firstResponseHours: 6, resolutionHours: 24.5 },
    });
    expect(Object.isFrozen(c.slaOverrides)).toBe(true);
  });

  it.each([
    ['not json', 'must be JSON'],
    ['[1,2]', 'JSON object'],
    ['{"no-such-category":{"firstResponseHours":12}}', 'unknown category "no-such-category"'],
    ['{"privacy":{"firstResponseHours":0}}', 'privacy.firstResponseHours must be a number of hours between 1 and 720'],
    ['{"privacy":{"resolutionHours":"48"}}', 'privacy.resolutionHours'],
    ['{"privacy":{"firstResponseHours":1000}}', 'between 1 and 720'],
    ['{"privacy":{"replyHours":12}}', 'unknown key "replyHours"'],
    ['{"privacy":12}', 'SLA_OVERRIDES.privacy must be an object'],
  ])('stops on %s', (raw, message) => {
    expect(() => load(raw)).toThrow(ConfigError);
    expect(() => load(raw)).toThrow(message);
  });
});
