// One post of the filing form, whatever its button: 提交投诉 / 确认提交 (submit), 下一步：核对 (review), 返回修改 (edit),
// 保存草稿 (draft). Files come first — kept ones reopened, new ones checked, cleaned and held — so their problems join
// the fields' problems instead of waiting for them to be fixed. What the page then shows is the route's (routes-filing.ts).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../lib/ctx.ts';
import { Invalid, TooLarge } from '../../lib/errors.ts';
import { readChecked } from '../../lib/schema-check.ts';
import type { Suggestion } from '../providers/suggest.ts';
import type { ComplaintDraftStore } from './drafts.ts';
import { readComplaint, type ComplaintInput } from './input.ts';
import type { HeldFile } from './pending-uploads.ts';
import type { UploadLimits } from './prepare-files.ts';
import { ComplaintBody } from './schemas.ts';
import type { Submission } from '../../plugins/uploads.ts';

/** The choice offered beside the suggestions: file against the name as typed (a pending provider, reviewed first). */
export const KEEP_TYPED = '__keep';
export const newFormKey = () => randomBytes(16).toString('hex');

export type FilingOutcome =
  | { kind: 'filed'; id: number }
  | { kind: 'review'; input: ComplaintInput }
  | { kind: 'edit' }
  | { kind: 'draft' };

/** What the form shows if it comes back: filled in as the post is read, so an error mid-way still has it. */
export interface FilingState {
  fields: Record<string, unknown>;
  suggestions: Suggestion[];
  held: HeldFile[];
  draft: { at: number; restored: false } | null;
}

const INTENTS = new Set(['review', 'edit', 'draft']);
const fileInvalid = (problems: string[]) => new Invalid({ attachments: problems.join('；') });

export async function filingStep(
  app: FastifyInstance,
  req: FastifyRequest,
  actor: Actor,
  sent: Submission,
  deps: { limits: UploadLimits; drafts: ComplaintDraftStore },
  st: FilingState,
): Promise<FilingOutcome> {
  const ctx = req.ctx();
  const typedKey = typeof sent.fields.submissionKey === 'string' ? sent.fields.submissionKey.slice(0, 100) : '';
  const key = typedKey || newFormKey();
  st.fields = { ...sent.fields, submissionKey: key };
  // A form already filed (a double click, 确认提交 sent twice) answers with that complaint, whatever it carries.
  const earlier = typedKey ? app.complaints.filedWith(ctx, key) : null;
  if (earlier !== null) {
    await app.pendingUploads.release(actor.id, key);
    return { kind: 'filed', id: earlier };
  }
  const intent = INTENTS.has(String(st.fields.intent)) ? (st.fields.intent as 'review' | 'edit' | 'draft') : 'submit';
  const kept = await app.pendingUploads.reopen(actor.id, key, ([] as unknown[]).concat(st.fields.kept ?? []));
  const fresh = await app.pendingUploads.hold(actor.id, key, sent.files, deps.limits, kept.files);
  st.held = [...kept.files, ...fresh.files];
  const fileProblems = [...kept.problems, ...fresh.problems];
  if (intent === 'draft') {
    deps.drafts.save(ctx, st.fields);
    st.draft = { at: app.clock.now(), restored: false };
    if (fileProblems.length) throw fileInvalid(fileProblems);
    return { kind: 'draft' };
  }
  if (intent === 'edit') {
    if (fileProblems.length) throw fileInvalid(fileProblems);
    return { kind: 'edit' };
  }

  // A suggestion the consumer picked (a listed provider's slug) replaces what was typed.
  const pick = st.fields.providerPick;
  const picked = typeof pick === 'string' && pick !== KEEP_TYPED && app.providers.getListedOrNull(pick) ? pick : null;
  if (picked) st.fields = { ...st.fields, provider: picked };
  const problems: Record<string, string> = {};
  let input: ComplaintInput | null = null;
  try {
    input = readChecked(ComplaintBody, st.fields, (f) => readComplaint(f, app.clock));
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    Object.assign(problems, err.errors);
  }
  if (fileProblems.length) problems.attachments = fileProblems.join('；');
  // Alone, a file over the cap keeps its own status (413); with other problems it is one of them.
  if (fresh.tooLarge && Object.keys(problems).length === 1) throw new TooLarge(problems.attachments!, 'attachments');
  if (!input || Object.keys(problems).length) throw new Invalid(problems);
  // A name that is not a listed provider: ask once which one was meant, unless the consumer chose to keep it.
  if (st.fields.providerPick !== KEEP_TYPED && !app.providers.matchListed(input.provider)) {
    st.suggestions = app.providerSuggester.suggest(input.provider);
    if (st.suggestions.length)
      throw new Invalid(
        { provider: `你是不是要找：${st.suggestions.map((s) => s.name).join('、')}？请选择，或保留你填写的名称` },
        'PROVIDER_SUGGESTED',
      );
  }
  if (intent === 'review') return { kind: 'review', input };
  const result = await app.complaints.file(ctx, input, [], key, st.held);
  await app.pendingUploads.release(actor.id, key);
  deps.drafts.discard(ctx);
  return { kind: 'filed', id: result.complaint.id };
}
