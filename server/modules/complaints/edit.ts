// A consumer corrects a complaint before it goes out: while under review ('edit'), or after a rejection ('resubmit',
// back to submitted). The fields given replace the stored ones; the whole complaint is validated again.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Actor, Ctx } from '../../lib/ctx.ts';
import type { ProviderService } from '../providers/service.ts';
import type { Provider } from '../providers/schema.ts';
import { readComplaint, STORED_FIELDS, storedFields, type ComplaintInput } from './input.ts';
import { complaints, type Complaint } from './schema.ts';
import type { Status } from './states.ts';
import { applyTransition, type TransitionDeps } from './transitions.ts';

const EDITABLE = ['provider', ...STORED_FIELDS] as const;

/** The stored complaint as the input reader expects it, so a partial change is checked as a whole. */
export function currentValues(c: Complaint, p: Provider): Record<string, unknown> {
  return { provider: p.slug, ...storedFields(c) };
}

export interface EditRequest {
  complaint: Complaint;
  provider: Provider;
  type: 'edit' | 'resubmit';
  to: Status;
  actor: Actor;
  raw: Record<string, unknown>;
}

export function applyEdit(
  deps: TransitionDeps & { providers: ProviderService },
  tx: Db,
  ctx: Ctx,
  r: EditRequest,
): Complaint {
  const { complaint: c, provider } = r;
  const merged: Record<string, unknown> = { ...currentValues(c, provider) };
  for (const [k, v] of Object.entries(r.raw)) if (k !== '_csrf') merged[k] = v;
  // The form sends yuan; the stored value is fen: a yuan field given replaces it.
  if ('amountYuan' in r.raw && !('amountFen' in r.raw)) delete merged.amountFen;
  const input: ComplaintInput = readComplaint(merged, ctx.clock);
  const target = deps.providers.resolveOrCreate({ ...ctx, tx }, input.provider);
  const before = currentValues(c, provider);
  const after: Record<string, unknown> = { ...input, provider: target.slug };
  const changed = EDITABLE.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
  tx.update(complaints)
    .set({
      providerId: target.id,
      category: input.category,
      title: input.title,
      description: input.description,
      demands: input.demands,
      amountFen: input.amountFen,
      incidentDate: input.incidentDate,
      transactionRef: input.transactionRef,
      contactPhone: input.contactPhone,
      shareContact: input.shareContact,
      consent: input.consent,
    })
    .where(eq(complaints.id, c.id))
    .run();
  const edited = { ...c, providerId: target.id };
  return applyTransition(deps, tx, ctx, edited, target, r.type, r.to, {
    actor: r.actor,
    body: null,
    data: { changed },
  }).complaint;
}
