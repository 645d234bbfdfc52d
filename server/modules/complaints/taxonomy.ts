// The complaint taxonomy from the wallet complaint guides. Slugs are stable: the API and the case generator use them.
export const CATEGORIES = [
  'registration-failed',
  'identity-verification',
  'system-error',
  'no-confirmation',
  'feature-limited',
  'transaction-failed',
  'account-frozen',
  'refund-pending',
  'slow-service',
  'privacy',
  'unauthorized-debit',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  'registration-failed': '开通/注册失败',
  'identity-verification': '身份验证失败',
  'system-error': '系统错误',
  'no-confirmation': '未收到确认信息',
  'feature-limited': '功能受限',
  'transaction-failed': '交易失败/异常',
  'account-frozen': '账户冻结/锁定',
  'refund-pending': '退款未处理',
  'slow-service': '客服响应慢',
  privacy: '隐私与数据安全',
  'unauthorized-debit': '盗刷/未授权扣款',
  other: '其他',
};

export const DEMANDS = ['refund', 'unfreeze', 'compensation', 'explanation', 'apology', 'other'] as const;
export type Demand = (typeof DEMANDS)[number];

export const DEMAND_LABELS: Record<Demand, string> = {
  refund: '退款',
  unfreeze: '解冻',
  compensation: '赔偿',
  explanation: '解释',
  apology: '道歉',
  other: '其他',
};
