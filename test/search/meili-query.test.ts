// The Meilisearch translations that need no server: filters, documents, highlight escaping, settings.
import { describe, expect, it } from 'vitest';
import {
  INDEX_SETTINGS,
  POST_TAG,
  PRE_TAG,
  aliasSynonyms,
  buildFilter,
  formattedToHtml,
  providerBoost,
  providerIn,
  quoteFilterValue,
  toHit,
  toMeiliDoc,
} from '../../server/modules/search/meili-query.ts';
import { caseDoc } from './factories.ts';

describe('meilisearch query translation', () => {
  it('builds filters with safely quoted values', () => {
    expect(buildFilter({})).toBeUndefined();
    expect(
      buildFilter({ provider: 'alipay', status: 'resolved', from: 10, to: 20.5, amountMin: 100, amountMax: 200.7 }),
    ).toBe(
      'provider = "alipay" AND status = "resolved" AND filedAt >= 10 AND filedAt < 21 AND amountFen >= 100 AND amountFen <= 200',
    );
    expect(quoteFilterValue('a" OR provider = "b\\')).toBe('"a\\" OR provider = \\"b\\\\"');
    expect(buildFilter({ category: 'x" OR 1=1' })).toBe('category = "x\\" OR 1=1"');
    expect(buildFilter({ from: Number.NaN, to: Infinity }, ['id != 3'])).toBe('id != 3');
  });

  it('escapes formatted text and turns only its own tags into <mark>', () => {
    expect(formattedToHtml(`<script>${PRE_TAG}冻结${POST_TAG}</script>`, '')).toBe(
      '&lt;script&gt;<mark>冻结</mark>&lt;/script&gt;',
    );
    expect(formattedToHtml(undefined, '<b>')).toBe('&lt;b&gt;');
    // Tag characters in a document cannot forge a mark.
    expect(toMeiliDoc(caseDoc(1, { title: `a${PRE_TAG}b${POST_TAG}` })).title).toBe('ab');
  });

  it('maps hits back to SearchHit', () => {
    const doc = toMeiliDoc(caseDoc(7, { title: '账户冻结', body: '余额被冻结' }));
    const hit = toHit({
      ...doc,
      _formatted: { title: `账户${PRE_TAG}冻结${POST_TAG}`, body: `余额被${PRE_TAG}冻结${POST_TAG}` },
    });
    expect(hit).toMatchObject({
      id: 7,
      title: '账户冻结',
      titleHighlighted: '账户<mark>冻结</mark>',
      snippet: '余额被<mark>冻结</mark>',
    });
  });

  it('declares every filter and sort the search uses, and alias synonyms', () => {
    expect(INDEX_SETTINGS.filterableAttributes).toEqual(
      expect.arrayContaining(['provider', 'category', 'status', 'filedAt', 'amountFen', 'overdue', 'id']),
    );
    expect(INDEX_SETTINGS.sortableAttributes).toContain('filedAt');
    expect(INDEX_SETTINGS.searchableAttributes[0]).toBe('title');
    expect(aliasSynonyms().工行).toEqual(['工商银行数字钱包']);
    expect(aliasSynonyms().数币).toEqual(['数字人民币']);
    // Whole-word entries must not hide searchable parts from Meilisearch.
    expect(INDEX_SETTINGS.dictionary).toContain('盗刷');
    expect(INDEX_SETTINGS.dictionary).not.toContain('账户冻结');
    expect(INDEX_SETTINGS.dictionary).not.toContain('微信支付');
  });
});

describe('product words and provider words (Meilisearch)', () => {
  it("a product word is neither a synonym of its provider nor one of the provider's names in a document", () => {
    for (const product of ['花呗', '借呗', '余额宝', '零钱通']) expect(aliasSynonyms()[product]).toBeUndefined();
    expect(aliasSynonyms().Alipay).toEqual(['支付宝']);
    expect(toMeiliDoc(caseDoc(1, { provider: 'alipay' })).providerAliases).toEqual(['蚂蚁', '蚂蚁集团', 'Alipay']);
    expect(toMeiliDoc(caseDoc(2, { provider: 'wechat-pay' })).providerAliases).not.toContain('零钱通');
  });

  it('splits the provider words off a query that has other words', () => {
    expect(providerBoost(['工行', '冻结'])).toEqual({ rest: ['冻结'], slugs: ['icbc-wallet'] });
    expect(providerBoost(['wechat', 'pay', '退款'])).toEqual({ rest: ['退款'], slugs: ['wechat-pay'] });
    expect(providerBoost(['alipay', '冻结', '提现'])).toEqual({ rest: ['冻结', '提现'], slugs: ['alipay'] });
    expect(providerBoost(['工行'])).toBeNull(); // a provider's name alone is searched as a word
    expect(providerBoost(['支付宝', '微信'])).toBeNull();
    expect(providerBoost(['花呗', '冻结'])).toBeNull(); // a product is a word like any other
    expect(providerBoost(['钱包', '冻结'])).toBeNull(); // a part of a provider's name is not its name
    expect(providerIn(['alipay', 'a"b'], true)).toBe('provider NOT IN ["alipay", "a\\"b"]');
  });
});

describe('createSearchIndex', () => {
  it('picks Meilisearch only when a URL is configured', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { createSearchIndex } = await import('../../server/modules/search/index.ts');
    const db = new Database(':memory:');
    expect(createSearchIndex({ db }).name).toBe('sqlite');
    expect(createSearchIndex({ db, meiliUrl: '' }).name).toBe('sqlite');
    expect(createSearchIndex({ db, meiliUrl: 'http://127.0.0.1:7700' }).name).toBe('meilisearch');
    db.close();
  });
});
