import { RANK, type Candidate } from '../types.ts';

// Transaction and order references are only recognisable by their cue: the value itself may look
// like a phone, a date or a card, and the cue wins over all of those (highest rank).
const ORDER_REF =
  /(?:商户订单号|商户单号|交易流水号|交易单号|支付单号|退款单号|订单编号|交易编号|退款编号|支付编号|工单编号|订单号|交易号|流水号|单号|订单ID|订单id|交易ID|交易id|订单)(?:码)? {0,2}(?:是|为)? {0,2}:? {0,2}([A-Za-z0-9](?:[A-Za-z0-9_-]{6,62}[A-Za-z0-9]))(?![A-Za-z0-9_-])/g;
const MIN_DIGITS = 4;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export function detectOrderRefs(text: string, out: Candidate[]): void {
  ORDER_REF.lastIndex = 0;
  for (let m = ORDER_REF.exec(text); m; m = ORDER_REF.exec(text)) {
    const ref = m[1];
    if (digitCount(ref) < MIN_DIGITS) continue;
    const end = m.index + m[0].length;
    out.push({ kind: 'order_ref', start: end - ref.length, end, rank: RANK.orderRef });
  }
}
