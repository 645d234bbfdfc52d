// The seeded directory. Slugs are stable; every contact keeps the source it came from.
export interface SeedProvider {
  slug: string; name: string; aliases: string[]; hotline: string | null; contactSource: string; website: string | null;
}

export const SEED_PROVIDERS: readonly SeedProvider[] = [
  { slug: 'icbc-wallet', name: '工商银行数字钱包', aliases: ['工行', '工商银行', 'ICBC', '工银', '中国工商银行'], hotline: '95105105',
    contactSource: '钱包投诉指南（wallet complaint guide）', website: null },
  { slug: 'alipay', name: '支付宝', aliases: ['蚂蚁', '蚂蚁集团', 'Alipay', '花呗', '借呗', '余额宝'], hotline: '95188',
    contactSource: '钱包投诉指南（wallet complaint guide）', website: null },
  { slug: 'wechat-pay', name: '微信支付', aliases: ['微信', '财付通', 'WeChat Pay', 'WeChatPay', '零钱通'], hotline: '95017',
    contactSource: '钱包投诉指南（wallet complaint guide）', website: null },
  { slug: 'ecny', name: '数字人民币', aliases: ['数币', 'e-CNY', 'eCNY', '数字人民币钱包', 'DCEP'], hotline: null,
    contactSource: '钱包客服指南（wallet customer-service guide）：客服电话未知，需运营人员核实', website: null },
];
