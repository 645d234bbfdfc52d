// The rules every new password meets, wherever it is chosen (registration, reset, change, invitation): 10 to 128
// characters, not one of the commonly used passwords (Mozilla's list, fxa-common-password-list), not built from the
// account's own e-mail or name, not one character repeated.
import { createRequire } from 'node:module';
import type { Fields } from '../../lib/validate.ts';

const require = createRequire(import.meta.url);
const common = require('fxa-common-password-list') as { test(password: string): boolean };

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export interface PasswordOwner {
  email?: string | null;
  displayName?: string | null;
  realName?: string | null;
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Why this password is refused, in words for the person choosing it; null when it is acceptable. */
export function passwordProblem(password: string, owner: PasswordOwner = {}): string | null {
  if (password.length < PASSWORD_MIN) return `密码至少需要 ${PASSWORD_MIN} 位`;
  if (password.length > PASSWORD_MAX) return `密码不能超过 ${PASSWORD_MAX} 位`;
  const folded = fold(password);
  if (folded.length === 0 || new Set(folded).size <= 2) return '密码过于简单：请不要只用一两个字符重复组成';
  if (common.test(password) || common.test(folded)) return '这个密码太常见，很容易被猜到，请换一个';
  const letters = folded.replace(/[^\p{L}]/gu, '');
  const email = owner.email ? fold(owner.email) : '';
  const own = [email, email.split('@')[0] ?? '', fold(owner.displayName ?? ''), fold(owner.realName ?? '')].filter(
    (o) => o.length >= 3,
  );
  // Made of one's own address or name ("zhangsan2024" for zhangsan@…): the first thing a guesser tries.
  if ((email && folded.includes(email)) || own.some((o) => o === folded || o === letters))
    return '密码不能由你的邮箱或名字组成';
  return null;
}

/** Reads a new password from a form or JSON body, failing the field with the reason when it is refused. */
export function readNewPassword(
  f: Fields,
  raw: Record<string, unknown>,
  field: string,
  owner: PasswordOwner,
): string | null {
  const v = raw[field];
  if (typeof v !== 'string' || v === '') {
    f.fail(field, '请填写密码');
    return null;
  }
  const problem = passwordProblem(v, owner);
  if (problem) {
    f.fail(field, problem);
    return null;
  }
  return v;
}
