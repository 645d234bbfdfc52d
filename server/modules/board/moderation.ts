// Moderators' publication decisions: take a case down from every surface, put it back, correct a public text. Each is
// an internal, append-only timeline event (the audit trail) followed by the complaint hooks, so public_cases changes
// in the same transaction and the search index follows through the outbox.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Conflict, Invalid, NotFound } from '../../lib/errors.ts';
import { Fields } from '../../lib/validate.ts';
import type { PlatformAccess } from '../complaints/platform.ts';
import type { ComplaintHooks } from '../complaints/hooks.ts';
import type { Timeline } from '../complaints/timeline.ts';
import { STATUS_LABELS, type Status } from '../complaints/states.ts';
import { isPublishable } from './public-case.ts';
import { PUBLIC_EVENTS, isModerationEvent, isTakenDown, type ModerationEvent } from './public-timeline.ts';
import { publicCases } from './schema.ts';

export type PublicationState = 'published' | 'taken_down' | 'not_public';
export const PUBLICATION_LABELS: Record<PublicationState, string> = {
  published: '已公开',
  taken_down: '已撤下',
  not_public: '未公开',
};

export interface ModerationInput {
  type: ModerationEvent;
  reason: string | null;
  field: string | null;
  text: string | null;
}

export function readModeration(raw: Record<string, unknown>): ModerationInput {
  const f = new Fields(raw);
  const type = raw.type;
  if (!isModerationEvent(type)) throw new Invalid({ type: '操作类型应为 unpublish、republish 或 public_edit' });
  const reason = f.string('reason', '撤下原因', { required: type === 'unpublish', max: 500, multiline: true });
  let field: string | null = null;
  let text: string | null = null;
  if (type === 'public_edit') {
    field = f.string('field', '要修改的内容', { required: true, max: 40 });
    if (field !== null && !/^(title|description|event:\d{1,15})$/.test(field))
      f.fail('field', '要修改的内容应为 title、description 或 event:<事件编号>');
    text = f.string('text', '公开文本', {
      required: true,
      max: field === 'title' ? 60 : 5000,
      multiline: field !== 'title',
    });
  }
  f.done();
  return { type, reason, field, text };
}

export function moderationService(db: Db, complaints: PlatformAccess, hooks: ComplaintHooks, timeline: Timeline) {
  function stateOf(complaintId: number) {
    const c = complaints.complaint(complaintId);
    const events = complaints.events(complaintId);
    const state: PublicationState = !isPublishable(c) ? 'not_public' : isTakenDown(events) ? 'taken_down' : 'published';
    return { c, events, state };
  }

  const refuse = (state: PublicationState, status: Status) =>
    new Conflict(
      `当前公开状态为「${PUBLICATION_LABELS[state]}」（投诉状态为「${STATUS_LABELS[status]}」），不能执行此操作`,
    );

  return {
    /** The publication state, for the lifecycle's plugged unpublish/republish (its caller has already scoped the case). */
    stateOf(complaintId: number): PublicationState {
      return stateOf(complaintId).state;
    },

    state(ctx: Ctx, complaintId: number): { state: PublicationState; label: string; status: Status; consent: string } {
      const actor = requireActor(ctx);
      if (actor.role !== 'admin') throw new NotFound('找不到该投诉');
      const { c, state } = stateOf(complaintId);
      return { state, label: PUBLICATION_LABELS[state], status: c.status, consent: c.consent };
    },

    /** Admin only; everyone else gets 404, as for any case they cannot see. */
    apply(ctx: Ctx, complaintId: number, input: ModerationInput): { state: PublicationState; published: boolean } {
      const actor = requireActor(ctx);
      if (actor.role !== 'admin' || !Number.isSafeInteger(complaintId) || complaintId <= 0)
        throw new NotFound('找不到该投诉');
      return db.transaction((tx) => {
        const { c, events, state } = stateOf(complaintId);
        // Still under review with consent to publish: the moderator may hold publication (it then starts taken down
        // when approved) and correct the public text before anyone sees it.
        const beforeApproval = c.status === 'submitted' && c.consent === 'public';
        const held = isTakenDown(events);
        if (input.type === 'unpublish' && state !== 'published' && !(beforeApproval && !held))
          throw refuse(state, c.status);
        if (input.type === 'republish' && state !== 'taken_down') throw refuse(state, c.status);
        if (input.type === 'public_edit') {
          if (state === 'not_public' && !beforeApproval) throw refuse(state, c.status);
          const m = /^event:(\d+)$/.exec(input.field ?? '');
          if (
            m &&
            !events.some((e) => e.id === Number(m[1]) && !e.internal && PUBLIC_EVENTS[e.type]?.withBody && e.body)
          ) {
            throw new Invalid({ field: '该事件不存在或没有公开文本' });
          }
        }
        const body = input.type === 'public_edit' ? input.text : input.reason;
        timeline.append({
          complaintId,
          type: input.type,
          actor,
          body,
          internal: true,
          data: input.type === 'public_edit' ? { field: input.field } : null,
          at: ctx.clock.now(),
        });
        hooks.run(tx, { ...ctx, tx }, { complaintId, event: input.type, from: c.status, to: c.status });
        const published = !!tx
          .select({ id: publicCases.complaintId })
          .from(publicCases)
          .where(eq(publicCases.complaintId, complaintId))
          .get();
        return { state: stateOf(complaintId).state, published };
      });
    },
  };
}

export type ModerationService = ReturnType<typeof moderationService>;
