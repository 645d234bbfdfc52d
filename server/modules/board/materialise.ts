// Keeping public_cases and the scorecard sums in step with a complaint, inside the transaction that changed it.
// Runs as the platform (no actor): it reads one complaint's rows to rebuild what the public may see of it.
// Every statement is prepared once for the app's connection and runs in the caller's transaction: the hook runs for
// every change, and a deadline tick makes a thousand changes at once.
import type { Sqlite } from '../../db/database.ts';
import { rowReader } from '../../db/rows.ts';
import { complaintEventCodecs, complaintCodecs, complaintEvents, complaints } from '../complaints/schema.ts';
import { providerCodecs, providers } from '../providers/schema.ts';
import { OTHER_PROVIDER, isListed } from '../providers/states.ts';
import { chinaDayStart } from '../../lib/china-time.ts';
import { isPublishable, toPublicCase, type PublicCaseSource } from './public-case.ts';
import { isTakenDown } from './public-timeline.ts';
import { contributionOf } from './stats.ts';
import { statsStore } from './stats-store.ts';

export type PublicationChange = 'published' | 'updated' | 'removed' | 'none';
export interface RefreshResult {
  publication: PublicationChange;
  statsChanged: boolean;
  lastEventId: number;
}

export function caseMaterialiser(sqlite: Sqlite, secret: string) {
  const complaintById = rowReader(sqlite, complaints, complaintCodecs, 'WHERE id = ?');
  const providerById = rowReader(sqlite, providers, providerCodecs, 'WHERE id = ?');
  // Cases of a provider whose name is not listed (pending review, rejected, just merged) appear under 其他机构.
  const otherProvider = rowReader(sqlite, providers, providerCodecs, `WHERE slug = '${OTHER_PROVIDER.slug}'`);
  const consumerById = sqlite.prepare(
    'SELECT real_name AS realName, display_name AS displayName, email, phone FROM users WHERE id = ?',
  );
  const eventsOf = rowReader(sqlite, complaintEvents, complaintEventCodecs, 'WHERE complaint_id = ? ORDER BY id');
  const attachmentNamesOf = sqlite.prepare('SELECT original_name FROM attachments WHERE complaint_id = ?').pluck();
  // public_cases through plain statements: `doc` is written as JSON text, and only the version is read back.
  const existing = sqlite.prepare(
    'SELECT version, published_at AS publishedAt FROM public_cases WHERE complaint_id = ?',
  );
  const remove = sqlite.prepare('DELETE FROM public_cases WHERE complaint_id = ?');
  const upsert =
    sqlite.prepare(`INSERT INTO public_cases (complaint_id, provider_id, category, status, amount_fen, filed_at, overdue,
      resolved, refunded, resolution_days, doc, version, published_at, updated_at)
    VALUES (@complaintId, @providerId, @category, @status, @amountFen, @filedAt, @overdue, @resolved, @refunded, @resolutionDays,
      @doc, @version, @publishedAt, @updatedAt)
    ON CONFLICT (complaint_id) DO UPDATE SET provider_id = excluded.provider_id, category = excluded.category, status = excluded.status,
      amount_fen = excluded.amount_fen, filed_at = excluded.filed_at, overdue = excluded.overdue, resolved = excluded.resolved,
      refunded = excluded.refunded, resolution_days = excluded.resolution_days, doc = excluded.doc, version = excluded.version,
      published_at = excluded.published_at, updated_at = excluded.updated_at`);
  const stats = statsStore(sqlite);

  /** Everything the public view of one complaint is built from; null when there is no such complaint. */
  function loadSource(complaintId: number): PublicCaseSource | null {
    const complaint = complaintById.get(complaintId);
    if (!complaint) return null;
    const own = providerById.get(complaint.providerId)!;
    const provider = isListed(own) ? own : (otherProvider.get() ?? own);
    const consumer = consumerById.get(complaint.userId) as PublicCaseSource['consumer'];
    const events = eventsOf.all(complaintId);
    const attachmentNames = attachmentNamesOf.all(complaintId) as string[];
    return { complaint, provider, consumer, events, attachmentNames, secret };
  }

  /** Writes or removes the case's public row. Consent, status and takedown decide; the builder decides the content. */
  function writePublicCase(src: PublicCaseSource, now: number): PublicationChange {
    const complaintId = src.complaint.id;
    const prior = existing.get(complaintId) as { version: number; publishedAt: number } | undefined;
    if (!isPublishable(src.complaint) || isTakenDown(src.events)) {
      if (!prior) return 'none';
      remove.run(complaintId);
      return 'removed';
    }
    const doc = toPublicCase(src);
    upsert.run({
      complaintId,
      providerId: src.provider.id,
      category: doc.category,
      status: doc.status,
      amountFen: doc.amountFen,
      filedAt: chinaDayStart(src.complaint.createdAt),
      overdue: doc.overdue ? 1 : 0,
      resolved: doc.outcome.resolved ? 1 : 0,
      refunded: doc.outcome.refunded ? 1 : 0,
      resolutionDays: doc.outcome.daysToResolution,
      doc: JSON.stringify(doc),
      version: (prior?.version ?? 0) + 1,
      publishedAt: prior?.publishedAt ?? now,
      updatedAt: now,
    });
    return prior ? 'updated' : 'published';
  }

  return {
    loadSource,
    writePublicCase,
    /** Everything the board keeps about one complaint, brought up to date. Must run inside the change's transaction. */
    refresh(complaintId: number, now: number): RefreshResult | null {
      const src = loadSource(complaintId);
      if (!src) return null;
      const publication = writePublicCase(src, now);
      const statsChanged = stats.apply(complaintId, contributionOf(src.complaint, src.events));
      return { publication, statsChanged, lastEventId: src.events.at(-1)?.id ?? 0 };
    },
  };
}

export type CaseMaterialiser = ReturnType<typeof caseMaterialiser>;
