// The complaint page's data for whoever looks at it: the view model, the forms the state allows this actor, the
// countdown, and (once a deadline was missed) the consumer's escalation path. Also the form-post helper shared by
// the consumer, merchant and admin pages: errors go back beside the field of the form that was sent.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Ctx } from '../../lib/ctx.ts';
import { Conflict, Invalid } from '../../lib/errors.ts';
import { uploadRefusal } from '../../lib/http.ts';
import { countdownLine, deadlineStates } from '../sla/view-model.ts';
import { RATING_LABELS } from './events-input.ts';
import { isConfirmedResolved, isEditableByConsumer } from './states.ts';
import { toComplaintView } from './view-model.ts';
import type { IncomingFile } from './prepare-files.ts';
import { checkEventFields } from './schemas.ts';
import { readSubmission } from './submission.ts';

export const REGULATOR_LINES = [
  { name: '金融消费者权益保护热线', number: '12378', agency: '国家金融监督管理总局' },
  { name: '中国人民银行金融消费权益保护咨询投诉电话', number: '12363', agency: '中国人民银行' },
];

/** The three 1-5 scales of the confirm form, with the choice kept when the form comes back with an error. */
export function ratingFields(typed: Record<string, unknown> = {}) {
  return (Object.keys(RATING_LABELS) as (keyof typeof RATING_LABELS)[]).map((key) => ({
    key,
    field: `rating.${key}`,
    label: RATING_LABELS[key],
    options: [1, 2, 3, 4, 5].map((value) => ({
      value,
      checked: String(typed[`rating.${key}`] ?? '') === String(value),
    })),
  }));
}

export interface FormState {
  /** The event type whose form failed, its field errors and the values typed. */
  failed?: { type: string; errors: Record<string, string>; values: Record<string, unknown> };
  conflict?: string;
  done?: string;
}

/** What the actor may see of one complaint, with its deliveries (the forwarding module's, through its service). */
export function complaintDetail(app: FastifyInstance, ctx: Ctx, id: number) {
  const detail = app.complaints.detail(ctx, id);
  return { ...detail, deliveries: app.forwarding.deliveriesOf(detail.complaint.id) };
}

export function complaintPageData(app: FastifyInstance, ctx: Ctx, actor: Actor, id: number, state: FormState = {}) {
  const detail = complaintDetail(app, ctx, id);
  const c = detail.complaint;
  const now = ctx.clock.now();
  const view = toComplaintView(detail, actor);
  const can = Object.fromEntries(app.lifecycle.allowed(c, actor, now).map((e) => [e, true]));
  const editable = actor.role === 'consumer' && isEditableByConsumer(c);
  return {
    title: view.title,
    c: view,
    can,
    actionUrl: `/complaints/${c.id}/events`,
    editable,
    countdown: countdownLine(c, now),
    deadlineStates: deadlineStates(c, now),
    // Waiting for the consumer's answer to a proposal: by when, on the page (not only in the e-mail).
    confirmBy: c.status === 'awaiting_consumer' && c.autoCloseAt !== null ? c.autoCloseAt : null,
    autoCloseDays: app.deadlinePolicy.rules.autoCloseDays,
    // Why it was sent back, at the top of the page rather than only inside the timeline.
    rejection:
      c.status === 'rejected' ? ([...view.timeline].reverse().find((e) => e.type === 'reject')?.body ?? null) : null,
    // Waiting for review: how long that usually takes, from the recent decisions.
    moderationWait: c.status === 'submitted' && actor.role === 'consumer' ? app.moderation.waitLine(now) : null,
    // The consumer's own way to the anonymised public case, once it is published.
    publicCaseUrl: app.board.reader.version(c.id) !== null ? `/cases/${c.id}` : null,
    // Escalation: the provider's own line first, then the financial regulators' consumer lines.
    escalation:
      view.deadlines.overdue && !isConfirmedResolved(c)
        ? { hotline: detail.provider.hotline, providerName: detail.provider.name, regulators: REGULATOR_LINES }
        : null,
    ratingFields: ratingFields(state.failed?.type === 'confirm' ? state.failed.values : {}),
    failed: state.failed ? { [state.failed.type]: state.failed.errors } : {},
    values: state.failed ? { [state.failed.type]: state.failed.values } : {},
    errorSummary: state.failed ? Object.values(state.failed.errors) : undefined,
    conflict: state.conflict,
    done: state.done,
  };
}

/** Runs a form's event; on bad input or a forbidden state re-renders the page (400 / 409) instead of redirecting. */
/** `sent` is read after the action: a multipart submission's fields are known only once the action has read them. */
export async function eventForm(
  reply: FastifyReply,
  sent: () => { type: string; fields: Record<string, unknown> },
  render: (state: FormState) => { template: string; data: Record<string, unknown> },
  action: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    const { type, fields } = sent();
    if (err instanceof Invalid) {
      const { template, data } = render({ failed: { type, errors: err.errors, values: fields } });
      await reply.page(template, data, 400);
      return false;
    }
    const refused = uploadRefusal(err, reply);
    if (refused) {
      const { template, data } = render({
        failed: { type: type || 'supplement', errors: { attachments: refused.message }, values: fields },
      });
      await reply.page(template, data, refused.statusCode);
      return false;
    }
    if (err instanceof Conflict) {
      const { template, data } = render({ conflict: err.message });
      await reply.page(template, data, 409);
      return false;
    }
    throw err;
  }
}

/**
 * The page forms' common path (complaint page, merchant page, moderation queue): read the multipart body after the
 * guards, check its fields against the events schema (`omit`: the page's own extra fields, kept for `act`), run the
 * event, and on bad input or a forbidden state re-render beside the field. Answers the fields sent, or null when the
 * page was re-rendered.
 */
export async function actFromForm(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: {
    render: (state: FormState) => { template: string; data: Record<string, unknown> };
    act: (input: Record<string, unknown>, files: IncomingFile[], fields: Record<string, unknown>) => Promise<unknown>;
    omit?: readonly string[];
  },
): Promise<{ type: string; fields: Record<string, unknown> } | null> {
  let fields: Record<string, unknown> = {};
  const type = () => (typeof fields.type === 'string' ? fields.type : '');
  const ok = await eventForm(
    reply,
    () => ({ type: type(), fields }),
    opts.render,
    async () => {
      const sent = await readSubmission(req, reply);
      fields = sent.fields;
      const checked = Object.fromEntries(Object.entries(fields).filter(([k]) => !opts.omit?.includes(k)));
      return opts.act(checkEventFields(checked, sent.files.length > 0), sent.files, fields);
    },
  );
  return ok ? { type: type(), fields } : null;
}
