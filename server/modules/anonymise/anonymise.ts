import type { AnonymiseOptions, AnonymiseResult, Candidate } from './types.ts';
import { detectPhones } from './detectors/phones.ts';
import { detectIds } from './detectors/ids.ts';
import { detectBankCards } from './detectors/cards.ts';
import { detectAccounts, detectEmails } from './detectors/accounts.ts';
import { detectOrderRefs } from './detectors/refs.ts';
import { detectPlates } from './detectors/plates.ts';
import { detectAddresses } from './detectors/addresses.ts';
import { detectCueNames } from './names.ts';
import { cleanNames, detectKnownNames } from './known-names.ts';
import { render, resolve } from './resolve.ts';

export type { AnonymiseOptions, AnonymiseResult, Finding, FindingKind } from './types.ts';

const HAS_DIGIT = /[0-9]/;

/**
 * Scrubs personal data from complaint text before it is shown to anyone but its author.
 * The text is NFKC-normalised first (full-width digits and punctuation become ASCII), and both the
 * returned text and the finding offsets refer to that normalised form. Pure: no I/O, no state
 * beyond compiled patterns.
 */
export function anonymise(input: string, opts: AnonymiseOptions = {}): AnonymiseResult {
  const text = input.normalize('NFKC');
  if (text.length === 0) return { text, findings: [] };
  const candidates: Candidate[] = [];
  // Every numeric detector needs an ASCII digit (after NFKC), and most prose has few of them.
  if (HAS_DIGIT.test(text)) {
    detectOrderRefs(text, candidates);
    detectIds(text, candidates);
    detectBankCards(text, candidates);
    detectPhones(text, candidates);
    detectAccounts(text, candidates);
    detectPlates(text, candidates);
    detectAddresses(text, candidates);
  }
  detectEmails(text, candidates);
  const cueNames = detectCueNames(text, candidates);
  // A name the consumer gave once ("我叫张三") is removed everywhere else in the text too.
  const names = cleanNames(cueNames.length ? [...(opts.knownNames ?? []), ...cueNames] : (opts.knownNames ?? []));
  if (names.length) detectKnownNames(text, names, candidates);
  const findings = resolve(text, candidates);
  return { text: render(text, findings), findings };
}
