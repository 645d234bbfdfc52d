// The seeded directory. Slugs are stable; every contact keeps the source it came from.
export interface SeedProvider {
  slug: string;
  name: string;
  aliases: string[];
  hotline: string | null;
  contactSource: string;
  website: string | null;
  /** false: listed, but the contact has not been checked by an operator yet (shown as 待核实). Default true. */
  verified?: boolean;
}

// Banks' wallets and apps that consumers name by their short names (农行, 建行 …): listed so the form can suggest them,
// their public customer-service numbers still to be confirmed by an operator.
const BANK_SOURCE = '银行公开的客服电话，尚待运营人员核实';

export const SEED_PROVIDERS: readonly SeedProvider[] = [
  {
    slug: 'icbc-wallet',
    name: '工商银行数字钱包',
    aliases: ['工行', '工商银行', 'ICBC', '工银', '中国工商银行'],
    hotline: '95105105',
    contactSource: '钱包投诉指南（wallet complaint guide）',
    website: null,
  },
  {
    slug: 'alipay',
    name: '支付宝',
    aliases: ['蚂蚁', '蚂蚁集团', 'Alipay', '花呗', '借呗', '余额宝'],
    hotline: '95188',
    contactSource: '钱包投诉指南（wallet complaint guide）',
    website: null,
  },
  {
    slug: 'wechat-pay',
    name: '微信支付',
    aliases: ['微信', '财付通', 'WeChat Pay', 'WeChatPay', '零钱通'],
    hotline: '95017',
    contactSource: '钱包投诉指南（wallet complaint guide）',
    website: null,
  },
  {
    slug: 'ecny',
    name: '数字人民币',
    aliases: ['数币', 'e-CNY', 'eCNY', '数字人民币钱包', 'DCEP'],
    hotline: null,
    contactSource: '钱包客服指南（wallet customer-service guide）：客服电话未知，需运营人员核实',
    website: null,
  },
  {
    slug: 'abc-bank',
    name: '中国农业银行',
    aliases: ['农行', '农业银行', 'ABC', 'Agricultural Bank of China', '农行掌上银行'],
    hotline: '95599',
    contactSource: BANK_SOURCE,
    website: null,
    verified: false,
  },
  {
    slug: 'ccb',
    name: '中国建设银行',
    aliases: ['建行', '建设银行', 'CCB', 'China Construction Bank'],
    hotline: '95533',
    contactSource: BANK_SOURCE,
    website: null,
    verified: false,
  },
  {
    slug: 'boc',
    name: '中国银行',
    aliases: ['中行', 'BOC', 'Bank of China'],
    hotline: '95566',
    contactSource: BANK_SOURCE,
    website: null,
    verified: false,
  },
  {
    slug: 'cmb',
    name: '招商银行',
    aliases: ['招行', 'CMB', 'China Merchants Bank'],
    hotline: '95555',
    contactSource: BANK_SOURCE,
    website: null,
    verified: false,
  },
];
