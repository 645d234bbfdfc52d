// Turning one record of the shared case generator (../shared/bench/gen-cases.mjs) into a complaint and the timeline the
// lifecycle would have written for it: approval, the provider's first answer after `firstResponseHours`, breach flags,
// the proposed resolution, and the consumer's confirmation (with rating), the auto-close or the unresolved close.
import type { Complaint, ComplaintEvent } from '../complaints/schema.ts';
import { JUDGED, type Status } from '../complaints/states.ts';
import type { SlaPolicy } from '../sla/deadlines.ts';
import { chinaDay } from '../../lib/china-time.ts';

export interface GeneratedCase {
  id: number;
  provider: string;
  providerName: string;
  category: string;
  title: string;
  description: string;
  demand: string;
  amountFen: number;
  filedAt: string;
  firstResponseHours: number;
  status: 'resolved' | 'closed_unconfirmed' | 'closed_unresolved';
  resolution: string | null;
  rating: number | null;
}

const H = 3600_000;

/** Throws on a record that is not the generator's shape, naming the field. */
export function checkGenerated(r: unknown): GeneratedCase {
  const x = r as Record<string, unknown>;
  const bad = (f: string) => {
    throw new Error(`field "${f}" is missing or malformed`);
  };
  if (!x || typeof x !== 'object') bad('record');
  if (!Number.isSafeInteger(x.id)) bad('id');
  for (const f of ['provider', 'providerName', 'category', 'title', 'description', 'demand', 'filedAt'])
    if (typeof x[f] !== 'string' || !x[f]) bad(f);
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(x.provider as string)) bad('provider');
  if (Number.isNaN(Date.parse(x.filedAt as string))) bad('filedAt');
  if (!Number.isSafeInteger(x.amountFen) || (x.amountFen as number) < 0) bad('amountFen');
  if (typeof x.firstResponseHours !== 'number' || x.firstResponseHours < 0) bad('firstResponseHours');
  if (!JUDGED.includes(x.status as Status)) bad('status');
  if (x.resolution !== null && typeof x.resolution !== 'string') bad('resolution');
  if (x.rating !== null && !(Number.isInteger(x.rating) && (x.rating as number) >= 1 && (x.rating as number) <= 5))
    bad('rating');
  return x as unknown as GeneratedCase;
}

export type GeneratedEvent = Omit<ComplaintEvent, 'id' | 'complaintId'>;
export type GeneratedComplaint = Omit<
  Complaint,
  'id' | 'userId' | 'providerId' | 'inboxTab' | 'inboxOverdue' | 'inboxDue'
>;

/** `policy`: the windows the deadline policy gives this case's category (app.deadlinePolicy.forCategory). */
export function generatedComplaint(
  r: GeneratedCase,
  policy: SlaPolicy,
): { complaint: GeneratedComplaint; events: GeneratedEvent[] } {
  const filed = Date.parse(r.filedAt);
  const fwd = filed + ((r.id % 4) + 1) * H; // moderation took one to four hours
  const answered = fwd + r.firstResponseHours * H;
  const proposed = r.resolution !== null ? answered + 6 * H : null;
  const events: GeneratedEvent[] = [];
  const add = (
    type: string,
    at: number,
    actorRole: GeneratedEvent['actorRole'],
    status: string,
    body: string | null = null,
    data: Record<string, unknown> | null = null,
  ) => events.push({ type, actorRole, actorId: null, body, status, data, internal: false, createdAt: at });
  add('submitted', filed, 'consumer', 'submitted');
  add('approve', fwd, 'admin', 'forwarded');
  add('reply', answered, 'provider_staff', 'in_progress', '您好，已收到您的投诉，我们正在核实处理，请耐心等待。');
  const firstDue = fwd + policy.firstResponseMs;
  const firstBreached = answered > firstDue ? firstDue : null;
  if (firstBreached) add('first_response_breached', firstBreached, 'system', 'forwarded');
  const resolutionDue = fwd + policy.resolutionMs;
  const resolutionBreached = proposed === null || proposed > resolutionDue ? resolutionDue : null;
  if (resolutionBreached) add('resolution_breached', resolutionBreached, 'system', 'in_progress');
  if (proposed !== null) add('propose_resolution', proposed, 'provider_staff', 'awaiting_consumer', r.resolution);
  let finished: number;
  if (r.status === 'resolved') {
    finished = proposed! + 12 * H;
    const rating = r.rating ?? 3;
    add('confirm', finished, 'consumer', 'resolved', null, {
      rating: { attitude: rating, speed: rating, satisfaction: rating },
    });
  } else if (r.status === 'closed_unconfirmed') {
    finished = (proposed ?? answered) + policy.autoCloseMs;
    add('auto_close', finished, 'system', 'closed_unconfirmed');
  } else {
    finished = answered + 72 * H;
    add('close_unresolved', finished, 'admin', 'closed_unresolved', '机构未能在时限内提出解决方案，平台关闭投诉。');
  }
  events.sort((a, b) => a.createdAt - b.createdAt);
  const complaint: GeneratedComplaint = {
    reference: `GEN-${r.id}`,
    category: r.category as Complaint['category'],
    title: r.title,
    description: r.description,
    demands: [r.demand],
    amountFen: r.amountFen > 0 ? r.amountFen : null,
    incidentDate: chinaDay(filed),
    transactionRef: null,
    contactPhone: null,
    shareContact: false,
    consent: 'public',
    status: r.status,
    submissionKey: null,
    createdAt: filed,
    updatedAt: finished,
    forwardedAt: fwd,
    firstResponseAt: answered,
    firstResponseDueAt: firstDue,
    resolutionDueAt: resolutionDue,
    firstResponseWarnedAt: null,
    resolutionWarnedAt: null,
    firstResponseBreachedAt: firstBreached,
    resolutionBreachedAt: resolutionBreached,
    resolutionPausedAt: null,
    resolutionPausedMs: 0,
    resolvedAt: r.status === 'resolved' ? finished : null,
    closedAt: r.status === 'resolved' ? null : finished,
    autoCloseAt: null,
    nextDeadlineAt: null,
  };
  return { complaint, events };
}
