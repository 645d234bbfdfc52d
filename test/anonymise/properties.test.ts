import { describe, expect, it } from 'vitest';
import { anonymise, type AnonymiseResult } from '../../server/modules/anonymise/anonymise.ts';
import { negatives, positives } from './cases.ts';

const PLACEHOLDER: Record<string, string> = {
  phone: '[手机号]',
  id_card: '[身份证号]',
  bank_card: '[银行卡号]',
  email: '[邮箱]',
  name: '[姓名]',
  address: '[地址]',
  account: '[账号]',
  qq: '[账号]',
  wechat: '[账号]',
  plate: '[车牌]',
  landline: '[电话]',
  order_ref: '[单号]',
  org_code: '[统一社会信用代码]',
};

const MIXED =
  '我叫张三，手机１３８－１２３４－５６７８，身份证11010519491231002X。在拼多多付款569.78元（订单号：2026110212345678），' +
  '银行卡6222 0212 3456 7890 128被扣款，客服95188说等三到五个工作日。邮箱zhang.san@qq.com，QQ：123456789，' +
  '住在北京市朝阳区建国路88号华贸公寓3栋1201室，车牌京A12345，2026年11月2日联系了李女士……张三很着急！';
const MIXED_EXPECTED =
  '我叫[姓名]，手机[手机号]，身份证[身份证号]。在拼多多付款569.78元（订单号：[单号]），' +
  '银行卡[银行卡号]被扣款，客服95188说等三到五个工作日。邮箱[邮箱]，QQ：[账号]，' +
  '住在[地址]，车牌[车牌]，2026年11月2日联系了[姓名]女士……[姓名]很着急！';

const allPositiveInputs = Object.values(positives).flatMap((rows) => rows.map(([input]) => input));
const allInputs = [...allPositiveInputs, ...Object.values(negatives).flat(), MIXED];

function checkFindings(input: string, result: AnonymiseResult): void {
  const normalised = input.normalize('NFKC');
  let previousEnd = 0;
  for (const f of result.findings) {
    expect(normalised.slice(f.start, f.end)).toBe(f.original);
    expect(f.start).toBeGreaterThanOrEqual(previousEnd); // sorted, and no two findings overlap
    expect(f.end).toBeGreaterThan(f.start);
    expect(f.placeholder).toBe(PLACEHOLDER[f.kind]);
    previousEnd = f.end;
  }
}

describe('a realistic complaint with everything in it', () => {
  it('removes every personal item and keeps amounts, dates, hotlines, merchants and punctuation', () => {
    expect(anonymise(MIXED).text).toBe(MIXED_EXPECTED);
  });
  it('reports one finding per removed item, in text order', () => {
    expect(anonymise(MIXED).findings.map((f) => f.kind)).toEqual([
      'name',
      'phone',
      'id_card',
      'order_ref',
      'bank_card',
      'email',
      'qq',
      'address',
      'plate',
      'name',
      'name',
    ]);
  });
});

describe('finding offsets point into the NFKC-normalised input and never overlap', () => {
  it.each(allInputs)('%s', (input) => checkFindings(input, anonymise(input)));
});

describe('anonymising twice changes nothing more', () => {
  it.each(allPositiveInputs.concat(MIXED))('%s', (input) => {
    const once = anonymise(input).text;
    const twice = anonymise(once);
    expect(twice.text).toBe(once);
    expect(twice.findings).toEqual([]);
  });
});

describe('the published text keeps the consumer’s own writing outside placeholders', () => {
  it.each([
    ['我的手机：１３８－１２３４－５６７８；邮箱：ａｂｃ＠ｑｑ．ｃｏｍ！', '我的手机：[手机号]；邮箱：[邮箱]！'],
    ['退款……没到账（微信支付）', '退款……没到账（微信支付）'],
    ['电话　13812345678　谢谢', '电话　[手机号]　谢谢'],
    ['①号问题：卡号６２２２０２１２３４５６７８９０１２８', '①号问题：卡号[银行卡号]'],
    ['é 13812345678 ﬁne', 'é [手机号] ﬁne'],
    ['e\u0301 13812345678', 'e\u0301 [手机号]'],
    ['面积10㎡，电话13812345678', '面积10㎡，电话[手机号]'],
    ['\u1100\u1161 13812345678 \u1100\u1161', '\u1100\u1161 [手机号] \u1100\u1161'],
    ['𠀀😀 138 1234 5678 😀', '𠀀😀 [手机号] 😀'],
    // A combining mark belongs to the character before it, and goes with it when that is removed.
    ['１３８１２３４５６７８\u0301好', '[手机号]好'],
  ])('%s -> %s', (input, expected) => {
    const result = anonymise(input);
    expect(result.text).toBe(expected);
    checkFindings(input, result);
  });
});

describe('overlapping detections: the more specific one names the span', () => {
  it.each([
    ['订单号13812345678', 'order_ref'],
    ['订单号：11010519491231002X', 'order_ref'],
    ['身份证号：622202123456789012', 'id_card'],
    ['卡号：320106198511224562', 'bank_card'],
    ['320106198511224562', 'id_card'],
    ['QQ邮箱 123456789@qq.com', 'email'],
    ['wx：13912345678', 'phone'],
  ])('%s -> %s', (input, kind) => {
    const { findings } = anonymise(input);
    expect(findings).toHaveLength(1);
    expect(findings[0].kind).toBe(kind);
  });
});

describe('mapping findings back onto the input agrees with the normalised text', () => {
  // Deterministic mixtures of what NFKC changes (full-width forms, ligatures, ㎡, …, ideographic
  // space), what it composes (combining marks, Hangul jamo), astral characters and personal data.
  const PIECES = [
    '１３８１２３４５６７８',
    '13812345678',
    '，',
    '。',
    '……',
    '㎡',
    'ﬁ',
    '\u3000',
    'e\u0301',
    '\u0301',
    '\u1100\u1161',
    '😀',
    '𠀀',
    '张先生',
    '邮箱ａ＠ｂ．ｃｏｍ',
    '退款569.78元',
    '京Ａ１２３４５',
    '订单号：２０２６１１０２１２３４５６７８',
    'abc',
    '支付宝',
  ];
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const inputs = Array.from({ length: 60 }, () =>
    Array.from({ length: 1 + (next() % 12) }, () => PIECES[next() % PIECES.length]).join(''),
  );

  it.each(inputs)('%s', (input) => {
    const result = anonymise(input);
    checkFindings(input, result);
    const normalised = input.normalize('NFKC');
    let expected = '';
    let at = 0;
    for (const f of result.findings) {
      expected += normalised.slice(at, f.start) + f.placeholder;
      at = f.end;
    }
    expected += normalised.slice(at);
    expect(result.text.normalize('NFKC')).toBe(expected);
  });
});
