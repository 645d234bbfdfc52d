// The lifecycle in one place: statuses, their names in Chinese, named sets and predicates.
// Routes and services ask these predicates; they never compare status strings themselves.
export const STATUSES = [
  'submitted', 'rejected', 'forwarded', 'in_progress', 'awaiting_consumer',
  'resolved', 'closed_unconfirmed', 'closed_unresolved', 'withdrawn',
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
/** Finished cases; resolved and closed ones may be reopened within 30 days. */
export const FINISHED: readonly Status[] = ['resolved', 'closed_unconfirmed', 'closed_unresolved', 'withdrawn'];
export const REOPENABLE: readonly Status[] = ['resolved', 'closed_unconfirmed', 'closed_unresolved'];
/** Never shown on the public board, whatever the consent. */
export const NEVER_PUBLIC: readonly Status[] = ['submitted', 'rejected', 'withdrawn'];

export const isStatus = (s: unknown): s is Status => typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
export const isOpen = (c: { status: Status }) => OPEN_WITH_PROVIDER.includes(c.status);
export const isFinished = (c: { status: Status }) => FINISHED.includes(c.status);
export const isAwaitingModeration = (c: { status: Status }) => c.status === 'submitted';
export const isEditableByConsumer = (c: { status: Status }) => c.status === 'submitted' || c.status === 'rejected';
/** Counts as resolved in every statistic only when the consumer confirmed it. */
export const isConfirmedResolved = (c: { status: Status }) => c.status === 'resolved';
