import { RANK, type Candidate, type FindingKind } from '../types.ts';
import { looksLikeAmount } from '../context.ts';

// Starts only where a local part can start (lookbehind), and every part is bounded: linear on any input.
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

const QQ =
  /(?<![A-Za-z])(?:[Qq]{2}|扣扣) {0,2}(?:号码|号|账号|帐号)? {0,2}(?:是|为)? {0,2}:? {0,2}([1-9]\d{4,10})(?![0-9A-Za-z])/g;

// Group 1: the cue, group 2: the separator, group 3: the ID (WeChat IDs: a letter then 5-19 of
// letters, digits, - and _; phones and QQ numbers are accepted as IDs too).
const WECHAT =
  /(?<![A-Za-z0-9])(微信号|微信账号|微信ID|微信id|微信|[VvWw][Xx]|[Vv]信|薇信|weixin|wechat|WeChat) {0,2}(?:号码|号|账号|ID|id)? {0,2}((?:是|为)? {0,2}:?) {0,2}([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9}|[1-9]\d{4,10})(?![-_A-Za-z0-9])/g;
const WXID = /(?<![A-Za-z0-9_])wxid_[A-Za-z0-9]{6,32}(?![A-Za-z0-9_])/g;
const WEAK_WECHAT_CUE = /^(?:微信|weixin|wechat|WeChat)$/;

// Other account IDs behind an explicit cue. The ID must end on a letter or digit so a sentence's
// full stop stays outside the placeholder.
const ACCOUNT =
  /(?<![A-Za-z])(?:账号|帐号|账户名|用户名|登录名|用户ID|用户id|UID|uid|抖音号|快手号|微博号|微博ID) {0,2}((?:是|为)? {0,2}:?) {0,2}([A-Za-z0-9_](?:[-_.@A-Za-z0-9]{2,62}[A-Za-z0-9_]))(?![-_.@A-Za-z0-9])/g;
const HAS_DIGIT = /\d/;
const HAS_DIGIT_OR_MARK = /[\d_-]/;
const LETTER_FIRST = /^[A-Za-z]/;

function push(out: Candidate[], kind: FindingKind, matchEnd: number, id: string, rank: number): void {
  out.push({ kind, start: matchEnd - id.length, end: matchEnd, rank });
}

export function detectEmails(text: string, out: Candidate[]): void {
  if (!text.includes('@')) return;
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m; m = EMAIL.exec(text)) {
    out.push({ kind: 'email', start: m.index, end: m.index + m[0].length, rank: RANK.email });
  }
}

export function detectAccounts(text: string, out: Candidate[]): void {
  QQ.lastIndex = 0;
  for (let m = QQ.exec(text); m; m = QQ.exec(text)) {
    const end = m.index + m[0].length;
    if (!looksLikeAmount(text, end - m[1].length, end)) push(out, 'qq', end, m[1], RANK.account);
  }
  WECHAT.lastIndex = 0;
  for (let m = WECHAT.exec(text); m; m = WECHAT.exec(text)) {
    const end = m.index + m[0].length;
    const [, cue, separator, id] = m;
    // A bare "微信" is mostly the product name ("微信 WeChat Pay", "微信20261102转账"): without a
    // separator, take only letter-led IDs that carry a digit, "_" or "-".
    if (!separator.trim() && WEAK_WECHAT_CUE.test(cue) && !(LETTER_FIRST.test(id) && HAS_DIGIT_OR_MARK.test(id)))
      continue;
    if (!looksLikeAmount(text, end - id.length, end)) push(out, 'wechat', end, id, RANK.account);
  }
  WXID.lastIndex = 0;
  for (let m = WXID.exec(text); m; m = WXID.exec(text)) {
    out.push({ kind: 'wechat', start: m.index, end: m.index + m[0].length, rank: RANK.account });
  }
  ACCOUNT.lastIndex = 0;
  for (let m = ACCOUNT.exec(text); m; m = ACCOUNT.exec(text)) {
    const end = m.index + m[0].length;
    const [, separator, id] = m;
    if (id.length < 5 || (!separator.trim() && !HAS_DIGIT.test(id))) continue;
    if (!looksLikeAmount(text, end - id.length, end)) push(out, 'account', end, id, RANK.account);
  }
}
