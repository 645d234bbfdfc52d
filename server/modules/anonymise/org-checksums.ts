// Check characters of the codes that identify an organisation (and, for an individual business, its owner).

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015: the 18th character of a unified social credit code. */
export function socialCreditCheckValid(code: string): boolean {
  if (code.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(code[i]);
    if (v < 0) return false;
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31] === code[17];
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714-1997: the 9th character of an organisation code (8 characters, then a digit or X). */
export function orgCodeCheckValid(code: string): boolean {
  if (code.length !== 9) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = code.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : -1;
    if (v < 0) return false;
    sum += v * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  return (check === 10 ? 'X' : check === 11 ? '0' : String(check)) === code[8];
}

/** GB/T 17710 (ISO 7064 MOD 11,10): the 15th digit of a business registration number (营业执照注册号). */
export function businessRegCheckValid(digits: string): boolean {
  if (!/^\d{15}$/.test(digits)) return false;
  let p = 10;
  for (let i = 0; i < 14; i++) {
    const s = (p % 11) + (digits.charCodeAt(i) - 48);
    p = (s % 10 || 10) * 2;
  }
  return (11 - (p % 11)) % 10 === digits.charCodeAt(14) - 48;
}
