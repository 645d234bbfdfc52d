// Filing a complaint: files are checked, cleaned and moved into place first, then the complaint, its files and its first
// timeline event commit together. A double submit with the same key returns the first complaint.
import { eq } from 'drizzle-orm';
import type { Db, Sqlite } from '../../db/database.ts';
import type { GroupCommit } from '../../db/group-commit.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Forbidden, TooLarge } from '../../lib/errors.ts';
import type { ProviderService } from '../providers/service.ts';
import type { AttachmentStore } from './attachment-store.ts';
import type { ComplaintHooks } from './hooks.ts';
import type { ComplaintInput } from './input.ts';
import { intakeStatements } from './intake-statements.ts';
import type { HeldFile } from './pending-uploads.ts';
import {
  prepareFiles,
  removeUnreferenced,
  type IncomingFile,
  type PreparedFile,
  type UploadLimits,
} from './prepare-files.ts';
import { complaints } from './schema.ts';
import type { Timeline } from './timeline.ts';

export interface IntakeDeps {
  db: Db;
  sqlite: Sqlite;
  groupCommit: GroupCommit;
  providers: ProviderService;
  store: AttachmentStore;
  limits: UploadLimits;
  hooks: ComplaintHooks;
  timeline: Timeline;
}
export interface FiledComplaint {
  id: number;
  reference: string;
  status: 'submitted';
}

export function intake(deps: IntakeDeps) {
  const st = intakeStatements(deps.db, deps.sqlite, deps.timeline);

  const prior = (userId: number, key: string | null): FiledComplaint | null => {
    const id = key ? st.priorId(userId, key) : undefined;
    if (id === undefined) return null;
    const row = deps.db
      .select({ reference: complaints.reference })
      .from(complaints)
      .where(eq(complaints.id, id))
      .get()!;
    return { id, reference: row.reference, status: 'submitted' };
  };

  /**
   * Files a complaint; a repeated submission key returns the first complaint instead of making a second. `held` are
   * files the form kept from an earlier try (pending-uploads.ts), already checked and cleaned: they are stored too.
   */
  return async function fileComplaint(
    ctx: Ctx,
    input: ComplaintInput,
    files: IncomingFile[],
    submissionKey: string | null,
    held: readonly HeldFile[] = [],
  ): Promise<{ complaint: FiledComplaint; duplicate: boolean }> {
    const actor = requireActor(ctx);
    if (actor.role !== 'consumer') throw new Forbidden('只有消费者账户可以提交投诉');
    const earlier = prior(actor.id, submissionKey);
    if (earlier) return { complaint: earlier, duplicate: true };
    if (files.length + held.length > deps.limits.maxFiles)
      throw new TooLarge(`最多上传 ${deps.limits.maxFiles} 个附件`, 'attachments', 'TOO_MANY_FILES');
    const prepared: PreparedFile[] = [];
    try {
      prepared.push(...(await prepareFiles(deps.store, files, deps.limits)));
      for (const h of held) {
        const { created } = await deps.store.adoptCopy(h.path, h.sha256);
        prepared.push({ sha256: h.sha256, mime: h.mime, size: h.size, name: h.name, created });
      }
      // Concurrent filings share one COMMIT; each is answered only once it is durable.
      const filed = await deps.groupCommit.run(() => {
        const now = ctx.clock.now();
        const providerId = st.providerId(input.provider) ?? deps.providers.resolveOrCreate(ctx, input.provider).id;
        const row = st.insert({ ...input, consumer: actor, providerId, submissionKey, now }, prepared);
        if (row) deps.hooks.run(deps.db, ctx, { complaintId: row.id, event: 'submitted', from: null, to: 'submitted' });
        return row;
      });
      if (filed) return { complaint: { ...filed, status: 'submitted' }, duplicate: false };
      // The same key committed between our check and the insert (a double click racing itself).
      await removeUnreferenced(deps.db, deps.store, prepared);
      return { complaint: prior(actor.id, submissionKey)!, duplicate: true };
    } catch (err) {
      await removeUnreferenced(deps.db, deps.store, prepared);
      throw err;
    }
  };
}
