import { describe, expect, it } from 'vitest';
import { anonymise } from '../../server/modules/anonymise/anonymise.ts';

// Inputs shaped to make a backtracking regex go quadratic or worse. Every detector is bounded, so
// these simply run; the assertions are about behaviour, not time.
const SIZE = 200_000;
const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

describe('200 KB adversarial inputs', () => {
  it.each([
    ['digits', fill('1'), 0],
    ['spaced digits', fill('1 '), 0],
    ['dashed digits', fill('12-'), 0],
    ['letters then @', `${fill('a')}@`, 0],
    ['dotted local part', `${fill('a.')}@x`, 0],
    ['@ chain', fill('a@'), 0],
    ['dotted domain', `x@${fill('a.')}`, 0],
    ['place keyword', fill('市'), 0],
    ['cue words', fill('我叫'), 0],
    ['QQ cues', fill('QQ '), 0],
    ['wx cues', fill('wx'), 0],
    ['order cues', fill('订单号'), 0],
    ['almost IDs', fill('11010519491231002'), 0],
    ['placeholders', fill('[姓名]'), 0],
    ['full-width digits', fill('１２３４５６７８９０　'), 0],
    ['emoji and digits', fill('😡1'), 0],
    ['phone prefixes', fill('+86 '), 0],
    ['address cues', fill('地址北京市'), 0],
  ])('%s', (_label, input, findings) => {
    const result = anonymise(input);
    expect(result.findings).toHaveLength(findings);
    expect(result.text).toBe(input);
  });

  it('honorifics everywhere', () => {
    const result = anonymise(fill('张先生'));
    expect(result.findings.length).toBe(Math.floor(SIZE / 3)); // the last, cut-off unit is "张先"
    expect(result.text.startsWith('[姓名]先生[姓名]先生')).toBe(true);
  });

  it('placeholders next to names everywhere', () => {
    const result = anonymise(fill('[姓名]张先生'));
    expect(result.findings.length).toBe(Math.floor(SIZE / 7));
    expect(result.text.startsWith('[姓名][姓名]先生[姓名][姓名]先生')).toBe(true);
  });

  it('house numbers everywhere collapse into one address', () => {
    const result = anonymise(fill('路1号'));
    expect(result.findings.map((f) => f.kind)).toEqual(['address']);
  });
});

describe('a 100k-character complaint', () => {
  const unit = '我叫张三，手机13812345678，在拼多多付款569.78元，订单号：2026110212345678。';
  const expected = '我叫[姓名]，手机[手机号]，在拼多多付款569.78元，订单号：[单号]。';
  const repeats = Math.ceil(100_000 / unit.length);

  it('is anonymised all the way through', () => {
    const result = anonymise(unit.repeat(repeats));
    expect(result.text).toBe(expected.repeat(repeats));
    expect(result.findings).toHaveLength(repeats * 3);
  });
});
