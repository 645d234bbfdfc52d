// The relaxed mode's union of doclists (execute.ts union, and union2 for two words) against a plain reference: every
// case of any list once, in order, with each list's flags beside it and 0 where the list lacks the case.
import { describe, expect, it } from 'vitest';
import { union } from '../../server/modules/search/sqlite/union.ts';
import type { TermPlan } from '../../server/modules/search/sqlite/term-plan.ts';

function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 16807) % 2147483647;
    return x / 2147483647;
  };
}

function randomList(next: () => number, size: number, density: number): TermPlan {
  const ords: number[] = [];
  const flags: number[] = [];
  for (let o = 0; o < size; o++)
    if (next() < density) {
      ords.push(o);
      flags.push(next() < 0.3 ? 3 : 1); // PRESENT, and IN_TITLE for some
    }
  return { ords: Int32Array.from(ords), flags: Uint8Array.from(flags), idf: 1, aliasOf: new Uint8Array(0) };
}

function reference(terms: TermPlan[]) {
  const all = [...new Set(terms.flatMap((t) => [...t.ords]))].sort((a, b) => a - b);
  return {
    ords: all,
    codes: terms.map((t) => all.map((o) => (t.ords.indexOf(o) >= 0 ? t.flags[t.ords.indexOf(o)] : 0))),
  };
}

describe('union of doclists', () => {
  it('matches the reference for two and for more lists, overlapping, disjoint and empty', () => {
    const next = rng(7);
    for (let round = 0; round < 60; round++) {
      const count = 2 + (round % 3);
      const terms = Array.from({ length: count }, () =>
        randomList(next, 400, round % 5 === 0 ? 0 : [0.02, 0.2, 0.6][Math.floor(next() * 3)]),
      );
      const got = union(terms);
      const want = reference(terms);
      expect([...got.ords], `round ${round}`).toEqual(want.ords);
      expect(
        got.codes.map((c) => [...c]),
        `round ${round}`,
      ).toEqual(want.codes);
    }
  });

  it('two lists that never meet: each case once, with its own flags only', () => {
    const a: TermPlan = {
      ords: Int32Array.of(1, 5, 9),
      flags: Uint8Array.of(1, 3, 1),
      idf: 1,
      aliasOf: new Uint8Array(0),
    };
    const b: TermPlan = {
      ords: Int32Array.of(2, 3, 10, 11),
      flags: Uint8Array.of(3, 1, 1, 3),
      idf: 1,
      aliasOf: new Uint8Array(0),
    };
    const u = union([a, b]);
    expect([...u.ords]).toEqual([1, 2, 3, 5, 9, 10, 11]);
    expect([...u.codes[0]]).toEqual([1, 0, 0, 3, 1, 0, 0]);
    expect([...u.codes[1]]).toEqual([0, 3, 1, 0, 0, 1, 3]);
  });
});
