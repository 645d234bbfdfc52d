// What a draft complaint would look like on the board, shown to its author before submitting. The same anonymiser and
// the same known names (the author's registered real and display names) as the public view uses.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { type Ctx, personOf } from '../../lib/ctx.ts';
import { Fields } from '../../lib/validate.ts';
import { users } from '../accounts/schema.ts';
import { anonymise } from '../anonymise/anonymise.ts';
import { LIMITS } from '../complaints/input.ts';

export interface DraftText {
  title: string;
  description: string;
}

export interface PreviewResult {
  title: string;
  description: string;
  findings: number;
  /** Placeholder -> how many times it was used, e.g. {"[手机号]": 2}. */
  removed: Record<string, number>;
}

export function readDraft(
  raw: Record<string, unknown>,
  opts: { requireText: boolean },
): DraftText & { provider: string | null; category: string | null } {
  const f = new Fields(raw);
  const title = f.string('title', '投诉标题', { required: opts.requireText, max: LIMITS.title }) ?? '';
  const description =
    f.string('description', '投诉内容', { required: opts.requireText, max: LIMITS.description, multiline: true }) ?? '';
  const provider = f.string('provider', '投诉对象（机构）', { max: LIMITS.provider });
  const category = f.string('category', '问题类型', { max: 40 });
  if (!opts.requireText && !title && !description) f.fail('title', '请填写投诉标题或投诉内容');
  f.done();
  return { title, description, provider, category };
}

export function previewDraft(db: Db, ctx: Ctx, draft: DraftText): PreviewResult {
  const person = personOf(ctx);
  const me = person
    ? db
        .select({ realName: users.realName, displayName: users.displayName })
        .from(users)
        .where(eq(users.id, person.id))
        .get()
    : undefined;
  const knownNames = [me?.realName, me?.displayName].filter((n): n is string => !!n);
  const title = anonymise(draft.title, { knownNames });
  const description = anonymise(draft.description, { knownNames });
  const removed: Record<string, number> = {};
  for (const f of [...title.findings, ...description.findings])
    removed[f.placeholder] = (removed[f.placeholder] ?? 0) + 1;
  return {
    title: title.text,
    description: description.text,
    findings: title.findings.length + description.findings.length,
    removed,
  };
}
