// A consumer's saved filing form: its text fields only (files are never part of a draft), one per consumer. Kept until
// the consumer discards it or files a complaint; read only by its author, on the form.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { LIMITS } from './input.ts';
import { complaintDrafts } from './schema.ts';

/** The fields a draft keeps, each capped so a draft is never larger than a complaint could be. */
const DRAFT_FIELDS: Record<string, number> = {
  provider: LIMITS.provider,
  category: 40,
  title: LIMITS.title,
  description: LIMITS.description,
  demands: 20,
  amountYuan: 30,
  incidentDate: 10,
  transactionRef: LIMITS.transactionRef,
  contactPhone: 20,
  shareContact: 1,
  consent: 10,
};

export type DraftFields = Record<string, string | string[]>;

function keep(fields: Record<string, unknown>): DraftFields {
  const out: DraftFields = {};
  for (const [name, max] of Object.entries(DRAFT_FIELDS)) {
    const v = fields[name];
    if (name === 'demands') {
      out.demands = ([] as unknown[])
        .concat(v ?? [])
        .filter((d): d is string => typeof d === 'string')
        .slice(0, 20)
        .map((d) => d.slice(0, max));
    } else if (typeof v === 'string' && v !== '') out[name] = [...v].slice(0, max).join('');
  }
  return out;
}

export function complaintDraftStore(db: Db) {
  return {
    get(ctx: Ctx): { fields: DraftFields; updatedAt: number } | null {
      const actor = requireActor(ctx);
      return (
        db
          .select({ fields: complaintDrafts.fields, updatedAt: complaintDrafts.updatedAt })
          .from(complaintDrafts)
          .where(eq(complaintDrafts.userId, actor.id))
          .get() ?? null
      );
    },

    /** Saves the form's text fields, replacing the consumer's earlier draft. */
    save(ctx: Ctx, fields: Record<string, unknown>): void {
      const actor = requireActor(ctx);
      const row = { userId: actor.id, fields: keep(fields), updatedAt: ctx.clock.now() };
      db.insert(complaintDrafts)
        .values(row)
        .onConflictDoUpdate({ target: complaintDrafts.userId, set: { fields: row.fields, updatedAt: row.updatedAt } })
        .run();
    },

    discard(ctx: Ctx): void {
      const actor = requireActor(ctx);
      db.delete(complaintDrafts).where(eq(complaintDrafts.userId, actor.id)).run();
    },
  };
}

export type ComplaintDraftStore = ReturnType<typeof complaintDraftStore>;
