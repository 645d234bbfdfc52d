import { describe, expect, it } from 'vitest';
import { anonymise } from '../../server/modules/anonymise/anonymise.ts';
import { positives } from './cases.ts';

describe.each(Object.entries(positives))('removes %s', (kind, rows) => {
  it.each(rows)('%s -> %s', (input, expected) => {
    const result = anonymise(input);
    expect(result.text).toBe(expected);
    expect(result.findings.map((f) => f.kind)).toContain(kind);
  });
});
