// A hand-built corpus for the judged query set (judged.ts): a few cases per provider, written the way consumers
// write, with products, provider names in the text of other providers' cases, English, numbers and distractors
// (冷冻 next to 冻结, 余额 outside Alipay, 钱包 outside ICBC).
import type { CaseDoc } from '../../server/modules/search/types.ts';
import { caseDoc } from './factories.ts';

const alipay = (id: number, title: string, body: string): CaseDoc => caseDoc(id, { provider: 'alipay', title, body });
const wechat = (id: number, title: string, body: string): CaseDoc =>
  caseDoc(id, { provider: 'wechat-pay', title, body });
const icbc = (id: number, title: string, body: string): CaseDoc =>
  caseDoc(id, { provider: 'icbc-wallet', title, body });
const ecny = (id: number, title: string, body: string): CaseDoc => caseDoc(id, { provider: 'ecny', title, body });
const jd = (id: number, title: string, body: string): CaseDoc => caseDoc(id, { provider: 'jd-pay', title, body });

export const JUDGED_CORPUS: CaseDoc[] = [
  alipay(1, '花呗逾期被催收', '花呗分期还款后仍显示逾期，催收电话一天打十几个。'),
  alipay(2, '花呗额度被无故降低', '用了三年，额度突然从两万降到五百，没有任何说明。'),
  alipay(3, '余额宝转出不到账', '余额宝转出到银行卡，两天了还没到账。'),
  alipay(4, '借呗提前还款收手续费', '借呗提前还款被收取手续费，合同里没有写。'),
  alipay(5, '支付宝账户被冻结无法提现', '支付宝突然冻结账户，余额无法提现，客服只说是风控。'),
  alipay(6, '免密支付被莫名扣款', '从未开通自动续费，每月被扣25元，完全不知情。'),
  alipay(7, '退款一直未到账', '在拼多多申请退款569元，商家已同意，钱一直没有退回。'),
  alipay(8, 'Alipay account locked', 'My account was locked after I logged in abroad, support never answered.'),
  wechat(9, '零钱通转出失败', '零钱通转出到银行卡显示失败，钱也没回来。'),
  wechat(10, '零钱被冻结', '零钱突然被冻结，提交身份证照片后仍未解冻。'),
  wechat(11, '转账被退回', '给朋友转账显示失败，对方说没收到。'),
  wechat(12, '人工客服一直打不通', '拨打95017排队半小时没人接，在线客服只有机器人回复。'),
  wechat(13, '红包被盗刷', '陌生设备登录，账户被盗刷800元，红包也被领走。'),
  wechat(14, 'Refund never arrived', 'The merchant refunded me through WeChat Pay but the money never arrived.'),
  icbc(15, '数字钱包被盗刷5000元', '凌晨收到扣款通知，钱包被盗刷5000元，我从未授权。'),
  icbc(16, '工行钱包开通失败', '实名认证一直提示身份验证失败，换了手机也不行。'),
  icbc(17, '账户被冻结', '余额被冻结，网点让带身份证本人去办理。'),
  icbc(18, '转账限额太低', '单笔限额只有五千，无法支付房租。'),
  ecny(19, '数字人民币支付失败却扣款', '在超市用数字人民币付款，页面显示支付失败但余额已经扣款。'),
  ecny(20, '数币钱包无法充值', '数币钱包充值一直转圈，银行卡的钱已经扣了。'),
  ecny(21, '硬钱包丢失无法挂失', '硬钱包丢了，客服说无法挂失。'),
  ecny(22, 'e-CNY wallet top-up failed', 'Top-up from my bank card failed three times and the bank charged me.'),
  jd(23, '白条自动扣款', '京东支付自动扣款，白条显示逾期，利息很高。'),
  caseDoc(24, {
    provider: 'unionpay-quickpass',
    providerName: '云闪付',
    title: '转账失败资金未退回',
    body: '用云闪付给朋友转账显示失败，钱却没有退回，已经过去一周。',
  }),
  jd(25, '订单被取消钱没退', '在京东下单时用支付宝付款了，订单却被取消，钱没退。'),
  jd(26, '分期手续费多扣', '账单分期手续费多扣了320元，客服说要等核实。'),
  jd(27, '冷冻食品结算有误', '超市冷冻柜的结算价格不对，多收了钱。'),
  jd(28, '余额显示异常', '钱包余额显示为负数，无法下单。'),
  wechat(29, '退款被拒绝', '商家拒绝退款，客服也不处理。'),
  wechat(30, '工行卡转账到零钱失败', '从工行卡转到零钱，提示失败但卡里扣了钱。'),
  wechat(31, '账户冻结无法收款', '收款码被限制，账户冻结，说我涉嫌赌博。'),
  jd(32, '支付1999元后显示失败', '支付 1999 元后页面显示失败，钱已经扣了。'),
  jd(33, '商家不支持花呗', '在京东买手机，不能用花呗付款，只能用银行卡。'),
  alipay(34, '蚂蚁客服不回复', '提交了三次申诉，一直没有回复。'),
];
