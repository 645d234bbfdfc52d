// Reading an admin's review decision (API and form share it). Every problem is named beside its field, in Chinese.
import { Fields } from '../../lib/validate.ts';
import { readProviderInput } from './input.ts';

export interface VerifyInput {
  name?: string;
  slug?: string;
  hotline?: string | null;
  contactSource: string;
  lastVerifiedAt?: number;
}
export interface MergeInput {
  into: string;
}
export interface RejectInput {
  reason: string | null;
}

/** Verify needs where the contact came from and when it was checked; the hotline may still be unknown. */
export function readVerify(raw: Record<string, unknown>): VerifyInput {
  const f = new Fields(raw);
  const source = f.string('contactSource', '联系方式来源', { required: true, max: 200 });
  f.done();
  const blank = (k: string) => raw[k] === undefined || raw[k] === '' || raw[k] === null;
  const p = readProviderInput(
    {
      ...(blank('name') ? {} : { name: raw.name }),
      ...(blank('slug') ? {} : { slug: raw.slug }),
      ...(raw.hotline === undefined ? {} : { hotline: raw.hotline }),
      ...(blank('lastVerifiedAt') ? {} : { lastVerifiedAt: raw.lastVerifiedAt }),
    },
    false,
  );
  return {
    contactSource: source!,
    ...(p.name ? { name: p.name } : {}),
    ...(p.slug ? { slug: p.slug } : {}),
    ...(p.hotline !== undefined ? { hotline: p.hotline } : {}),
    ...(typeof p.lastVerifiedAt === 'number' ? { lastVerifiedAt: p.lastVerifiedAt } : {}),
  };
}

export function readMerge(raw: Record<string, unknown>): MergeInput {
  const f = new Fields(raw);
  const into = f.string('into', '要合并到的机构', { required: true, max: 40 });
  f.done();
  return { into: into! };
}

export function readReject(raw: Record<string, unknown>): RejectInput {
  const f = new Fields(raw);
  const reason = f.string('reason', '驳回理由', { max: 200 });
  f.done();
  return { reason };
}
