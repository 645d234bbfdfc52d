// Keeping the search index in step with public_cases through the outbox, never from a request: the hook enqueues a
// 'search_sync' row in the transaction of the change; the worker reads the case's current public row when it sends, so
// retries and out-of-order runs converge on what is public now (present: upsert; absent: remove).
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import type { Outbox } from '../outbox/plugin.ts';
import type { OutboxHandler } from '../outbox/registry.ts';
import { providers } from '../providers/schema.ts';
import type { CaseDoc, SearchIndex } from '../search/types.ts';
import type { PublicCase } from './public-case.ts';
import { publicCases, type PublicCaseRow } from './schema.ts';

export const SEARCH_TOPIC = 'search_sync';

/** The search document of a public case: the public view's texts, nothing else. */
export function caseDocOf(doc: PublicCase, filedAt: number, aliases: readonly string[]): CaseDoc {
  const said = doc.timeline.map((e) => e.body).filter((b): b is string => !!b);
  return {
    id: doc.id,
    title: doc.title,
    body: [doc.description, ...said].join('\n'),
    provider: doc.provider.slug,
    providerName: doc.provider.name,
    providerAliases: [...aliases],
    category: doc.category,
    status: doc.status,
    amountFen: doc.amountFen ?? 0,
    filedAt,
    overdue: doc.overdue,
  };
}

/** Search documents for a batch of public rows (the reindex script and the sync handler share it). */
export function caseDocsOf(db: Db, rows: readonly Pick<PublicCaseRow, 'doc' | 'filedAt' | 'providerId'>[]): CaseDoc[] {
  const ids = [...new Set(rows.map((r) => r.providerId))];
  const aliases = new Map(
    ids.length
      ? db
          .select({ id: providers.id, aliases: providers.aliases })
          .from(providers)
          .where(inArray(providers.id, ids))
          .all()
          .map((p) => [p.id, p.aliases])
      : [],
  );
  return rows.map((r) => caseDocOf(r.doc, r.filedAt, aliases.get(r.providerId) ?? []));
}

export function enqueueSearchSync(outbox: Outbox, tx: Db, ctx: Ctx, complaintId: number, lastEventId: number): void {
  // One row per change; the key makes a repeated hook run for the same change a no-op.
  outbox.enqueue(tx, ctx, {
    topic: SEARCH_TOPIC,
    complaintId,
    payload: { complaintId },
    key: `search_sync:${complaintId}:${lastEventId}:${ctx.clock.now()}`,
  });
}

export function searchSyncHandler(db: Db, index: () => SearchIndex): OutboxHandler {
  // Every public change comes through here: prepared once.
  const publicRow = db
    .select({
      doc: publicCases.doc,
      filedAt: publicCases.filedAt,
      providerId: publicCases.providerId,
      version: publicCases.version,
    })
    .from(publicCases)
    .where(eq(publicCases.complaintId, sql.placeholder('id')))
    .prepare();
  return {
    async send(item) {
      const complaintId = item.complaintId ?? (item.payload as { complaintId?: number } | null)?.complaintId;
      if (typeof complaintId !== 'number')
        return { ok: false, retryable: false, detail: 'search_sync row without a complaint id' };
      const row = publicRow.get({ id: complaintId });
      try {
        if (row) {
          await index().upsert(caseDocsOf(db, [row]));
          return { ok: true, detail: `upserted case ${complaintId} v${row.version}` };
        }
        await index().remove([complaintId]);
        return { ok: true, detail: `removed case ${complaintId}` };
      } catch (err) {
        return { ok: false, detail: `search index: ${(err as Error).message}` };
      }
    },
  };
}
