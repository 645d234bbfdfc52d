import { describe, expect, it } from 'vitest';
import { anonymise } from '../../server/modules/anonymise/anonymise.ts';

describe('the consumer’s registered names are removed wherever they appear', () => {
  it.each<[string, string[], string]>([
    ['张伟在支付宝被扣款，张伟很着急', ['张伟'], '[姓名]在支付宝被扣款，[姓名]很着急'],
    ['小明同学说退款没到', ['张伟', '小明同学'], '[姓名]说退款没到'],
    ['Contact li wei please', ['Li Wei'], 'Contact [姓名] please'],
    ['Alipay refused Li twice', ['Li'], 'Alipay refused [姓名] twice'],
    ['张三丰和张三', ['张三', '张三丰'], '[姓名]和[姓名]'],
    ['我叫张三丰', ['张三'], '我叫[姓名]'],
    ['张某说卡被冻结', ['张'], '张某说卡被冻结'],
    ['', ['张伟'], ''],
    ['ＷＡＮＧ　ＷＥＩ来电', ['Wang Wei'], '[姓名]来电'],
    ['a.b*c 的投诉', ['a.b*c'], '[姓名] 的投诉'],
    ['李雷的钱包', ['  ', ''], '李雷的钱包'],
    ['手机13812345678', ['手机号'], '手机[手机号]'],
    ['欧阳娜娜的支付宝', [' 欧阳娜娜 '], '[姓名]的支付宝'],
    ['Mary_Q 的账户被冻结', ['mary_q'], '[姓名] 的账户被冻结'],
  ])('%s with %j -> %s', (input, knownNames, expected) => {
    const once = anonymise(input, { knownNames });
    expect(once.text).toBe(expected);
    expect(anonymise(once.text, { knownNames }).text).toBe(expected);
    for (const f of once.findings) expect(input.normalize('NFKC').slice(f.start, f.end)).toBe(f.original);
  });
});
