import { describe, expect, it } from 'vitest';
import { anonymise } from '../../server/modules/anonymise/anonymise.ts';
import { negatives } from './cases.ts';

describe.each(Object.entries(negatives))('keeps %s', (_group, rows) => {
  it.each(rows)('%s', (input) => {
    const result = anonymise(input);
    expect(result.findings).toEqual([]);
    expect(result.text).toBe(input);
  });
});
