import { RANK, type Candidate } from '../types.ts';
import { contextBefore, looksLikeAmount } from '../context.ts';
import { businessRegCheckValid, orgCodeCheckValid, socialCreditCheckValid } from '../org-checksums.ts';

// Unified social credit code (GB 32100-2015): 18 characters from 0-9 and the capitals without I, O, S, V, Z:
// registering authority (1), organisation type (1), administrative division (6 digits), organisation code (9), check.
// Without a cue the check character decides; an individual business's code leads back to a person.
const USCC = /(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}(?![0-9A-Za-z])/g;
// Organisation code (GB 11714): 8 characters and a check character, written with its hyphen when it stands alone.
const ORG_CODE = /(?<![0-9A-Za-z-])[0-9A-Z]{8}-[0-9X](?![0-9A-Za-z-])/g;
// Behind a cue any 15-digit registration number, 9-character organisation code or 18-character credit code counts,
// even with a typo in its check character (the cue says what it is).
const ORG_CUED =
  /(?:统一社会信用代码|社会信用代码|信用代码|组织机构代码|机构代码|营业执照(?:注册)?号(?:码)?|营业执照|工商注册号|注册号|纳税人识别号|税号)(?:码)? {0,2}(?:是|为)? {0,2}:? {0,2}([0-9A-Z]{18}|\d{15}|[0-9A-Z]{8}-?[0-9X])(?![0-9A-Za-z])/g;
const ORG_CONTEXT = /信用代码|机构代码|营业执照|注册号|税号|纳税人/;
// A bare 15-digit number is also a business registration number when its ISO 7064 check holds and a cue is near.
const REG15 = /(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g;

export function detectOrgCodes(text: string, out: Candidate[]): void {
  USCC.lastIndex = 0;
  for (let m = USCC.exec(text); m; m = USCC.exec(text)) {
    if (socialCreditCheckValid(m[0]))
      out.push({ kind: 'org_code', start: m.index, end: m.index + m[0].length, rank: RANK.orgChecked });
  }
  ORG_CODE.lastIndex = 0;
  for (let m = ORG_CODE.exec(text); m; m = ORG_CODE.exec(text)) {
    if (orgCodeCheckValid(m[0].replace('-', '')))
      out.push({ kind: 'org_code', start: m.index, end: m.index + m[0].length, rank: RANK.orgChecked });
  }
  REG15.lastIndex = 0;
  for (let m = REG15.exec(text); m; m = REG15.exec(text)) {
    const end = m.index + m[0].length;
    if (
      businessRegCheckValid(m[0]) &&
      !looksLikeAmount(text, m.index, end) &&
      contextBefore(text, m.index, 16, ORG_CONTEXT)
    ) {
      out.push({ kind: 'org_code', start: m.index, end, rank: RANK.orgWithContext });
    }
  }
  ORG_CUED.lastIndex = 0;
  for (let m = ORG_CUED.exec(text); m; m = ORG_CUED.exec(text)) {
    const end = m.index + m[0].length;
    out.push({ kind: 'org_code', start: end - m[1].length, end, rank: RANK.orgWithContext });
  }
}
