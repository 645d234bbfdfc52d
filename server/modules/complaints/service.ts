// Complaint verbs for the people who may see a complaint: filing, reading one, listing one's own.
import { and, desc, eq } from 'drizzle-orm';
import { requireActor, type Ctx, personOf } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import { providers } from '../providers/schema.ts';
import { intake, type IntakeDeps } from './intake.ts';
import type { IncomingFile } from './prepare-files.ts';
import type { HeldFile } from './pending-uploads.ts';
import type { ComplaintInput } from './input.ts';
import { attachments, complaints } from './schema.ts';
import { platformAccess } from './platform.ts';
import { visibleLoader } from './scope.ts';

export type ComplaintDeps = IntakeDeps;

export function complaintService(deps: ComplaintDeps) {
  const { db } = deps;
  const fileComplaint = intake(deps);

  const visible = visibleLoader(db);
  const platform = platformAccess(db);
  // A complaint's page reads its events and files on every view: platform's reads, prepared once.
  /**
   * The complaint and its provider, if the actor may see it; NotFound otherwise (never Forbidden: ids cannot be
   * probed). Inside `ctx.tx` too: the statements run on the app's one connection, where that transaction is open.
   */
  const load = (ctx: Ctx, id: number) => visible(personOf(ctx), id);

  return {
    load,

    /** The platform's own reads for other modules (forwarding, publication decisions): platform.ts. */
    platform,

    file(
      ctx: Ctx,
      input: ComplaintInput,
      files: IncomingFile[],
      submissionKey: string | null,
      held: readonly HeldFile[] = [],
    ) {
      return fileComplaint(ctx, input, files, submissionKey, held);
    },

    /** The complaint this consumer already filed from the form with this key (a form sent again), if any. */
    filedWith(ctx: Ctx, submissionKey: string): number | null {
      const actor = requireActor(ctx);
      const row = db
        .select({ id: complaints.id })
        .from(complaints)
        .where(and(eq(complaints.userId, actor.id), eq(complaints.submissionKey, submissionKey)))
        .get();
      return row?.id ?? null;
    },

    /** Everything the actor may see of one complaint. Staff notes are shown to staff and admins only. */
    detail(ctx: Ctx, id: number) {
      const { complaint, provider } = load(ctx, id);
      const actor = requireActor(ctx);
      const seesInternal = actor.role !== 'consumer';
      const events = platform.events(id).filter((e) => seesInternal || !e.internal);
      const files = platform.files(id);
      return { complaint, provider, events, files };
    },

    listMine(ctx: Ctx) {
      const actor = requireActor(ctx);
      return db
        .select({ complaint: complaints, provider: providers })
        .from(complaints)
        .innerJoin(providers, eq(providers.id, complaints.providerId))
        .where(eq(complaints.userId, actor.id))
        .orderBy(desc(complaints.createdAt), desc(complaints.id))
        .all();
    },

    /** One attachment's bytes, through the complaint's scope: who cannot see the complaint cannot fetch its files. */
    async attachment(ctx: Ctx, complaintId: number, attachmentId: number) {
      load(ctx, complaintId);
      const file = db
        .select()
        .from(attachments)
        .where(and(eq(attachments.id, attachmentId), eq(attachments.complaintId, complaintId)))
        .get();
      if (!file) throw new NotFound('找不到该附件');
      return { file, bytes: await deps.store.read(file.sha256) };
    },
  };
}

export type ComplaintService = ReturnType<typeof complaintService>;
