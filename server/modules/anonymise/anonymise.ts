import type { AnonymiseOptions, AnonymiseResult, Candidate } from './types.ts';
import { detectPhones } from './detectors/phones.ts';
import { detectIds } from './detectors/ids.ts';
import { detectBankCards } from './detectors/cards.ts';
import { detectAccounts, detectEmails } from './detectors/accounts.ts';
import { detectOrderRefs } from './detectors/refs.ts';
import { detectOrgCodes } from './detectors/org-codes.ts';
import { detectPlates } from './detectors/plates.ts';
import { detectAddresses } from './detectors/addresses.ts';
import { detectCueNames } from './names.ts';
import { cleanNames, detectKnownNames, detectRepeatedNames } from './known-names.ts';
import { render, resolve } from './resolve.ts';
import { offsetMap } from './normalise.ts';

export type { AnonymiseOptions, AnonymiseResult, Finding, FindingKind } from './types.ts';

const HAS_DIGIT = /[0-9]/;

/**
 * Scrubs personal data from complaint text before it is shown to anyone but its author.
 * Detection runs on the NFKC form of the input (full-width digits and punctuation become ASCII) and
 * finding offsets refer to that form; the returned text keeps the input's own characters outside
 * the placeholders. Pure: no I/O, no state beyond compiled patterns and a small name-pattern cache.
 */
export function anonymise(input: string, opts: AnonymiseOptions = {}): AnonymiseResult {
  const text = input.normalize('NFKC');
  if (text.length === 0) return { text: input, findings: [] };
  const candidates: Candidate[] = [];
  // These detectors all need an ASCII digit (after NFKC): text without one skips them.
  const hasDigit = HAS_DIGIT.test(text);
  if (hasDigit) {
    detectOrderRefs(text, candidates);
    detectIds(text, candidates);
    detectOrgCodes(text, candidates);
    detectBankCards(text, candidates);
    detectPhones(text, candidates);
    detectPlates(text, candidates);
  }
  detectAddresses(text, candidates, hasDigit);
  detectAccounts(text, candidates);
  detectEmails(text, candidates);
  // A name the consumer gave once ("我叫张三") is removed everywhere else in the text too.
  const cueNames = detectCueNames(text, candidates);
  if (cueNames.length) detectRepeatedNames(text, cueNames, candidates);
  if (opts.knownNames?.length) detectKnownNames(text, cleanNames(opts.knownNames), candidates);
  const findings = resolve(text, candidates);
  if (findings.length === 0) return { text: input, findings };
  const map = text === input ? null : offsetMap(input, text);
  return { text: map ? render(input, findings, map) : render(text, findings, null), findings };
}
