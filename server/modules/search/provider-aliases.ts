// Names readers use for the seeded providers. The provider directory is the source of truth for the aliases of a
// live case (CaseDoc.providerAliases); this table serves imports and benchmarks that start from generator records
// (which carry only a slug and a display name) and the Meilisearch synonyms. It mirrors the directory's seed on
// purpose: the search module must not reach into another module's tables.
export const SEEDED_PROVIDER_NAMES: Readonly<Record<string, { name: string; aliases: readonly string[] }>> = {
  'icbc-wallet': { name: '工商银行数字钱包', aliases: ['工行', '工商银行', 'ICBC', '工银', '中国工商银行'] },
  alipay: { name: '支付宝', aliases: ['蚂蚁', '蚂蚁集团', 'Alipay', '花呗', '借呗', '余额宝'] },
  'wechat-pay': { name: '微信支付', aliases: ['微信', '财付通', 'WeChat Pay', 'WeChatPay', '零钱通'] },
  ecny: { name: '数字人民币', aliases: ['数币', 'e-CNY', 'eCNY', '数字人民币钱包', 'DCEP'] },
};

/**
 * Products of a provider (花呗 is Alipay's credit line, 零钱通 WeChat Pay's fund). The directory lists some of them as
 * aliases so the complaint form can guess the provider, but in search they are words like any other: a reader typing
 * 花呗 wants the cases about 花呗, not all 285,000 of Alipay's. They never stand for the provider in the index.
 */
export const PRODUCT_WORDS: ReadonlySet<string> = new Set([
  '花呗',
  '借呗',
  '余额宝',
  '余利宝',
  '网商贷',
  '芝麻信用',
  '相互宝',
  '零钱',
  '零钱通',
  '分付',
  '微粒贷',
  '亲属卡',
]);

/** Aliases of a seeded provider; empty for any other slug. */
export const aliasesFor = (slug: string): string[] => [...(SEEDED_PROVIDER_NAMES[slug]?.aliases ?? [])];
