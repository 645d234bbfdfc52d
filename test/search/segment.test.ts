import { describe, expect, it } from 'vitest';
import { indexTokens, normalize, queryTerms, wordParts } from '../../server/modules/search/segment.ts';

describe('segmentation', () => {
  it('keeps payment terms whole and adds their parts for indexing', () => {
    expect(indexTokens('微信支付被盗刷了500元')).toEqual(
      expect.arrayContaining(['微信支付', '微信', '支付', '盗刷', '500', '元']),
    );
    expect(indexTokens('微信支付被盗刷了')).not.toContain('被盗');
    expect(indexTokens('数字人民币钱包')).toEqual(expect.arrayContaining(['数字', '人民币', '数字人民币', '钱包']));
    expect(indexTokens('我的中国工商银行卡')).toEqual(
      expect.arrayContaining(['中国工商银行', '工商银行', '工商', '银行']),
    );
  });

  it('does not let a user word break ordinary text', () => {
    expect(indexTokens('加工行业')).not.toContain('工行');
  });

  it('drops stop words and punctuation, lower-cases and folds width', () => {
    expect(queryTerms('我的账户被冻结了，怎么办？')).toEqual(['账户', '冻结']);
    expect(queryTerms('ＩＣＢＣ WeChat Pay')).toEqual(['icbc', 'wechat', 'pay']);
    expect(normalize('Ｅ－ＣＮＹ')).toBe('e-cny');
    expect(queryTerms('e-CNY')).toEqual(['e', 'cny']);
    expect(queryTerms('，。！？ 的 了')).toEqual([]);
  });

  it('yields only tokens FTS5 unicode61 keeps whole, whatever the input', () => {
    const nasty = '"冻结" AND (退款) OR NOT NEAR(a b) * ^x {title}: col:val \\ \u0000 🙂 e-CNY 12.5元 ＜script＞';
    for (const t of [...indexTokens(nasty), ...queryTerms(nasty)]) expect(t).toMatch(/^[\p{L}\p{N}\p{Co}]+$/u);
  });

  it('splits a long word into a cover of its parts', () => {
    expect(wordParts('中国工商银行')).toEqual(['中国', '工商', '银行']);
    expect(wordParts('冻结')).toEqual([]);
    expect(wordParts('icbc')).toEqual([]);
  });
});
