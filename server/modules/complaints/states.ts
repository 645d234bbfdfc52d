// The lifecycle in one place: statuses, their names in Chinese, named sets and predicates.
// Routes and services ask these predicates; they never compare status strings themselves.
export const STATUSES = [
  'submitted',
  'rejected',
  'forwarded',
  'in_progress',
  'awaiting_consumer',
  'resolved',
  'closed_unconfirmed',
  'closed_unresolved',
  'withdrawn',
] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  submitted: '待审核',
  rejected: '审核未通过',
  forwarded: '已转交商家',
  in_progress: '处理中',
  awaiting_consumer: '待消费者确认',
  resolved: '已解决',
  closed_unconfirmed: '已关闭（消费者未确认）',
  closed_unresolved: '已关闭（未解决）',
  withdrawn: '已撤诉',
};

/** With the provider: deadlines run (except the resolution clock while awaiting the consumer). */
export const OPEN_WITH_PROVIDER: readonly Status[] = ['forwarded', 'in_progress', 'awaiting_consumer'];
/** The provider has the next move (the merchant inbox's default tab), unless the resolution clock is paused. */
export const AWAITING_PROVIDER: readonly Status[] = ['forwarded', 'in_progress'];
/** The consumer has the next move: information requested or a proposal to confirm. */
export const AWAITING_CONSUMER: readonly Status[] = ['awaiting_consumer'];
/** Finished cases (the merchant inbox's closed tab); the JUDGED ones may be reopened. */
export const FINISHED: readonly Status[] = ['resolved', 'closed_unconfirmed', 'closed_unresolved', 'withdrawn'];
/** Finished with a verdict on the provider (a withdrawal says nothing about it); these may be reopened within 30 days. */
export const JUDGED: readonly Status[] = ['resolved', 'closed_unconfirmed', 'closed_unresolved'];
export const REOPENABLE: readonly Status[] = JUDGED;
/** Closed without a confirmed resolution: closing sets closed_at. */
export const CLOSED: readonly Status[] = ['closed_unconfirmed', 'closed_unresolved', 'withdrawn'];
/** The consumer may still change the text: under review, or rejected and to be resubmitted. */
export const EDITABLE_BY_CONSUMER: readonly Status[] = ['submitted', 'rejected'];
/** What provider staff see: every status from forwarding on (the merchant inbox's status filter offers these). */
export const STAFF_VISIBLE: readonly Status[] = [
  'forwarded',
  'in_progress',
  'awaiting_consumer',
  'resolved',
  'closed_unconfirmed',
  'closed_unresolved',
  'withdrawn',
];
/** Never shown on the public board, whatever the consent. */
export const NEVER_PUBLIC: readonly Status[] = ['submitted', 'rejected', 'withdrawn'];

export const isStatus = (s: unknown): s is Status =>
  typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
export const isOpen = (c: { status: Status }) => OPEN_WITH_PROVIDER.includes(c.status);
export const isEditableByConsumer = (c: { status: Status }) => EDITABLE_BY_CONSUMER.includes(c.status);
export const isJudged = (c: { status: Status }) => JUDGED.includes(c.status);
/** Counts as resolved in every statistic only when the consumer confirmed it. */
export const isConfirmedResolved = (c: { status: Status }) => c.status === 'resolved';

// ---- Transitions ------------------------------------------------------------------------------------------------
// Who may do what, from which status, to which status. 'same' keeps the status (a message on the timeline).

export type EventRole = 'consumer' | 'provider_staff' | 'admin' | 'system';

/** Events people send to POST /api/v1/complaints/:id/events. */
export const ACTOR_EVENTS = [
  'approve',
  'reject',
  'close_unresolved',
  'unpublish',
  'republish',
  'reply',
  'request_info',
  'propose_resolution',
  'note',
  'supplement',
  'confirm',
  'dispute',
  'withdraw',
  'reopen',
] as const;
export type ActorEvent = (typeof ACTOR_EVENTS)[number];
/** Events written by the platform itself or by other verbs (editing a rejected complaint). */
export type LifecycleEvent = ActorEvent | 'resubmit' | 'edit' | 'auto_close';

interface Rule {
  role: EventRole;
  moves: Partial<Record<Status, Status | 'same'>>;
}

const to = (target: Status | 'same', ...from: Status[]) =>
  Object.fromEntries(from.map((s) => [s, target])) as Partial<Record<Status, Status | 'same'>>;

export const TRANSITIONS: Record<LifecycleEvent, Rule> = {
  approve: { role: 'admin', moves: { submitted: 'forwarded' } },
  reject: { role: 'admin', moves: { submitted: 'rejected' } },
  close_unresolved: { role: 'admin', moves: to('closed_unresolved', 'forwarded', 'in_progress', 'awaiting_consumer') },
  // Publication is the public board's business; until it plugs an action in, these are allowed nowhere.
  unpublish: { role: 'admin', moves: {} },
  republish: { role: 'admin', moves: {} },
  reply: {
    role: 'provider_staff',
    moves: { forwarded: 'in_progress', in_progress: 'same', awaiting_consumer: 'same' },
  },
  request_info: { role: 'provider_staff', moves: to('awaiting_consumer', 'forwarded', 'in_progress') },
  propose_resolution: {
    role: 'provider_staff',
    moves: { forwarded: 'awaiting_consumer', in_progress: 'awaiting_consumer', awaiting_consumer: 'same' },
  },
  note: { role: 'provider_staff', moves: to('same', ...STAFF_VISIBLE) },
  supplement: { role: 'consumer', moves: { forwarded: 'same', in_progress: 'same', awaiting_consumer: 'in_progress' } },
  confirm: { role: 'consumer', moves: { awaiting_consumer: 'resolved' } },
  dispute: { role: 'consumer', moves: { awaiting_consumer: 'in_progress' } },
  withdraw: {
    role: 'consumer',
    moves: to('withdrawn', 'submitted', 'rejected', 'forwarded', 'in_progress', 'awaiting_consumer'),
  },
  // Back to the provider with fresh clocks; only within REOPEN_WINDOW_MS of finishing (checked with the time).
  reopen: { role: 'consumer', moves: to('forwarded', ...REOPENABLE) },
  resubmit: { role: 'consumer', moves: { rejected: 'submitted' } },
  edit: { role: 'consumer', moves: { submitted: 'same' } },
  auto_close: { role: 'system', moves: { awaiting_consumer: 'closed_unconfirmed' } },
};

export const REOPEN_WINDOW_MS = 30 * 24 * 3600_000;

export const isActorEvent = (t: unknown): t is ActorEvent =>
  typeof t === 'string' && (ACTOR_EVENTS as readonly string[]).includes(t);

export type TransitionCheck =
  | { ok: true; to: Status }
  /** 'role': not this actor's event (answered 404); 'state' / 'expired': the status forbids it (409). */
  | { ok: false; reason: 'role' | 'state' | 'expired' };

interface Transitionable {
  status: Status;
  resolvedAt?: number | null;
  closedAt?: number | null;
}

export function canTransition(
  c: Transitionable,
  event: LifecycleEvent,
  actor: { role: EventRole },
  now?: number,
): TransitionCheck {
  const rule = TRANSITIONS[event];
  if (!rule || rule.role !== actor.role) return { ok: false, reason: 'role' };
  const target = rule.moves[c.status];
  if (target === undefined) return { ok: false, reason: 'state' };
  if (event === 'reopen' && now !== undefined) {
    const finishedAt = Math.max(c.resolvedAt ?? 0, c.closedAt ?? 0);
    if (!finishedAt || now - finishedAt > REOPEN_WINDOW_MS) return { ok: false, reason: 'expired' };
  }
  return { ok: true, to: target === 'same' ? c.status : target };
}

export const stateConflictMessage = (s: Status) => `当前状态为「${STATUS_LABELS[s]}」，不能执行此操作`;
