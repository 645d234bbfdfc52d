// The filing form's 核对 step: what the provider will receive (built by forwarding's own payload code, without the
// outbox) and what the public will see (the board's anonymised preview, or nothing for a private complaint), from the
// checked input and the files held for the form.
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../lib/ctx.ts';
import { sizeLimitText } from '../../lib/sizes.ts';
import { users } from '../accounts/schema.ts';
import { previewDraft } from '../board/preview.ts';
import { buildComplaintForProvider, contactLine, forwardedFields } from '../forwarding/payload.ts';
import type { ComplaintInput } from './input.ts';
import type { HeldFile } from './pending-uploads.ts';
import { CATEGORY_LABELS } from './taxonomy.ts';

/** The form's own fields, carried through the review page as hidden fields (files travel as their references). */
export const CARRIED_FIELDS = [
  'provider',
  'providerPick',
  'category',
  'title',
  'description',
  'demands',
  'amountYuan',
  'incidentDate',
  'transactionRef',
  'contactPhone',
  'shareContact',
  'consent',
  'submissionKey',
] as const;

export const keptView = (held: readonly HeldFile[]) =>
  held.map((h) => ({ ref: h.ref, name: h.name, size: sizeLimitText(h.size) }));

export function carriedFields(fields: Record<string, unknown>): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const name of CARRIED_FIELDS)
    for (const v of ([] as unknown[]).concat(fields[name] ?? []))
      if (typeof v === 'string') out.push({ name, value: v });
  return out;
}

export function reviewView(
  app: FastifyInstance,
  ctx: Ctx,
  userId: number,
  input: ComplaintInput,
  held: readonly HeldFile[],
) {
  const listed = app.providers.getListedOrNull(input.provider) ?? app.providers.matchListed(input.provider);
  let sharedContact: { name: string; email: string } | null = null;
  if (input.shareContact) {
    const u = app.db
      .select({ email: users.email, displayName: users.displayName, realName: users.realName })
      .from(users)
      .where(eq(users.id, userId))
      .get();
    if (u) sharedContact = { name: u.realName ?? u.displayName, email: u.email };
  }
  const payload = buildComplaintForProvider(
    { id: 0, reference: '提交后生成', ...input },
    {
      providerSlug: listed?.slug ?? '',
      attachmentIds: held.map((_, i) => i + 1),
      sharedContact,
      due: null,
      publicUrl: app.config.publicUrl,
      now: app.clock.now(),
    },
  );
  const preview = input.consent === 'public' ? previewDraft(app.db, ctx, input) : null;
  return {
    toProvider: {
      name: listed?.name ?? input.provider,
      pending: !listed,
      fields: forwardedFields(payload),
      description: payload.description,
      files: keptView(held),
      contact: contactLine(payload),
    },
    toPublic: preview && {
      // An unlisted provider's cases appear under 其他机构 until its name is verified.
      provider: listed?.name ?? '其他机构',
      category: CATEGORY_LABELS[input.category],
      title: preview.title,
      description: preview.description,
      findings: preview.findings,
      removed: Object.keys(preview.removed).join('、'),
    },
  };
}
