export type FindingKind =
  | 'phone'
  | 'id_card'
  | 'bank_card'
  | 'email'
  | 'name'
  | 'address'
  | 'account'
  | 'plate'
  | 'landline'
  | 'order_ref'
  | 'qq'
  | 'wechat'
  | 'org_code';

/** Offsets are in the NFKC-normalised input. */
export interface Finding {
  kind: FindingKind;
  start: number;
  end: number;
  original: string;
  placeholder: string;
}

export interface AnonymiseOptions {
  /** The consumer's registered real name and display name: removed wherever they appear. */
  knownNames?: string[];
}

export interface AnonymiseResult {
  text: string;
  findings: Finding[];
}

/**
 * A detector's proposal. `rank` says how specific the evidence is: when spans overlap, the
 * overlapping spans are merged and the highest-ranked kind names the merged span.
 */
export interface Candidate {
  kind: FindingKind;
  start: number;
  end: number;
  rank: number;
}

export const PLACEHOLDERS: Readonly<Record<FindingKind, string>> = Object.freeze({
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
});

/** Higher wins on overlap. Explicit context beats shape; shape beats heuristics. */
export const RANK = Object.freeze({
  orderRef: 100,
  orgWithContext: 97,
  idWithContext: 96,
  email: 95,
  bankWithContext: 92,
  idChecked: 90,
  orgChecked: 89,
  id15: 88,
  bank: 85,
  phone: 80,
  landline: 75,
  account: 70,
  address: 65,
  plate: 60,
  knownName: 55,
  cueName: 50,
});
