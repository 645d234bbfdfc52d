import type { Db } from '../../db/database.ts';
import { Invalid } from '../../lib/errors.ts';
import { requireActor, type Actor, type Ctx } from '../../lib/ctx.ts';
import { Conflict, NotFound } from '../../lib/errors.ts';
import type { ProviderService } from '../providers/service.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { readEventFields, readEventType, type EventInput } from './events-input.ts';
import { prepareFiles, removeUnreferenced, type IncomingFile, type UploadLimits } from './prepare-files.ts';
import { attachments, type Complaint } from './schema.ts';
import { visibleLoader } from './scope.ts';
import {
  ACTOR_EVENTS,
  canTransition,
  stateConflictMessage,
  STATUS_LABELS,
  type ActorEvent,
  type LifecycleEvent,
} from './states.ts';
import { applyTransition, type TransitionDeps } from './transitions.ts';
import { applyEdit } from './edit.ts';

export interface LifecycleDeps extends TransitionDeps {
  db: Db;
  store: AttachmentStore;
  limits: UploadLimits;
  providers: ProviderService;
  /** Told after each commit, so the deadline scheduler can wake earlier. */
  onDeadline(at: number | null): void;
}

/** An event another module owns (publication: unpublish/republish): it keeps its own rows, the timeline is written here. */
export interface PluggedAction {
  role: Actor['role'];
  allowed(c: Complaint): boolean;
  apply(tx: Db, ctx: Ctx, c: Complaint): Record<string, unknown> | undefined;
}

const INTERNAL: ReadonlySet<ActorEvent> = new Set(['note']);
/** Events that may carry files: the consumer's supplement; the provider's reply and proposal (a receipt, a statement). */
export const FILE_EVENTS: ReadonlySet<string> = new Set(['supplement', 'reply', 'propose_resolution']);

export function lifecycleService(deps: LifecycleDeps) {
  const { db } = deps;
  const visible = visibleLoader(db);
  const plugged = new Map<string, PluggedAction>();

  /** 404 for the wrong role (ids cannot be probed), 409 naming the current state for the wrong state. */
  function check(c: Complaint, type: LifecycleEvent, actor: Actor, now: number) {
    const p = plugged.get(type);
    if (p) {
      if (p.role !== actor.role) throw new NotFound('找不到该投诉');
      if (!p.allowed(c)) throw new Conflict(stateConflictMessage(c.status), 'INVALID_STATE');
      return c.status;
    }
    const result = canTransition(c, type, actor, now);
    if (result.ok) return result.to;
    if (result.reason === 'role') throw new NotFound('找不到该投诉');
    if (result.reason === 'expired')
      throw new Conflict(`当前状态为「${STATUS_LABELS[c.status]}」，已超过 30 天，不能重新打开`, 'REOPEN_EXPIRED');
    if (type === 'unpublish' || type === 'republish')
      throw new Conflict('公开与撤下由公开案例模块处理，当前尚未启用', 'NOT_AVAILABLE');
    throw new Conflict(stateConflictMessage(c.status), 'INVALID_STATE');
  }

  function record(actor: Actor, input: EventInput, fileCount: number) {
    const data: Record<string, unknown> = {};
    if (input.rating) data.rating = input.rating;
    if (input.reason) data.reason = input.reason;
    if (fileCount) data.attachments = fileCount;
    return {
      actor,
      body: input.reason ?? input.body,
      data: Object.keys(data).length ? data : null,
      internal: INTERNAL.has(input.type),
    };
  }

  return {
    definePluggedAction(type: 'unpublish' | 'republish', action: PluggedAction) {
      plugged.set(type, action);
    },

    /** Which events this actor may send now (forms are shown only for these). */
    allowed(c: Complaint, actor: Actor, now: number): LifecycleEvent[] {
      const out: LifecycleEvent[] = [];
      for (const e of ACTOR_EVENTS) {
        try {
          check(c, e, actor, now);
          out.push(e);
        } catch {
          /* not allowed */
        }
      }
      return out;
    },

    async act(ctx: Ctx, complaintId: number, raw: Record<string, unknown>, files: IncomingFile[] = []) {
      const actor = requireActor(ctx);
      const type = readEventType(raw);
      // Checked before any file is stored, and again inside the transaction that writes.
      const first = visible(actor, complaintId).complaint;
      check(first, type, actor, ctx.clock.now());
      const sentFiles = files.some((f) => f.size > 0);
      if (sentFiles && !FILE_EVENTS.has(type))
        throw new Invalid({ attachments: '只有补充材料、回复和解决方案可以附加文件' }, 'FILES_NOT_ALLOWED');
      const hasFiles = FILE_EVENTS.has(type) && sentFiles;
      const input = readEventFields(type, raw, hasFiles);
      const prepared = hasFiles ? await prepareFiles(deps.store, files, deps.limits) : [];
      let result: ReturnType<typeof applyTransition>;
      try {
        result = db.transaction((tx) => {
          const { complaint, provider } = visible(actor, complaintId);
          const now = ctx.clock.now();
          const to = check(complaint, type, actor, now);
          const p = plugged.get(type);
          if (p) {
            const data = p.apply(tx, ctx, complaint) ?? null;
            return applyTransition(deps, tx, ctx, complaint, provider, type, to, { actor, body: input.body, data });
          }
          const done = applyTransition(
            deps,
            tx,
            ctx,
            complaint,
            provider,
            type,
            to,
            record(actor, input, prepared.length),
          );
          for (const f of prepared) {
            tx.insert(attachments)
              .values({
                complaintId,
                eventId: done.eventId,
                sha256: f.sha256,
                mime: f.mime,
                sizeBytes: f.size,
                originalName: f.name,
                createdAt: now,
              })
              .run();
          }
          return done;
        });
      } catch (err) {
        await removeUnreferenced(db, deps.store, prepared);
        throw err;
      }
      deps.onDeadline(result.complaint.nextDeadlineAt);
      return result.complaint;
    },

    /** A consumer corrects a complaint under moderation, or resubmits a rejected one (back to submitted). */
    edit(ctx: Ctx, complaintId: number, raw: Record<string, unknown>) {
      const actor = requireActor(ctx);
      return db.transaction((tx) => {
        const { complaint, provider } = visible(actor, complaintId);
        const type = complaint.status === 'rejected' ? 'resubmit' : 'edit';
        const to = check(complaint, type, actor, ctx.clock.now());
        return applyEdit(deps, tx, ctx, { complaint, provider, type, to, actor, raw });
      });
    },
  };
}

export type LifecycleService = ReturnType<typeof lifecycleService>;
