// The one public view of a complaint. Every public surface (pages, JSON, CSV, feeds, search documents) reads the object
// built here and nothing else: anonymised texts, a per-case pseudonym, dates to the day, and none of the private
// fields (attachments, transaction reference, contact details, internal notes, the consumer's account).
import { createHmac } from 'node:crypto';
import { chinaDay } from '../../lib/china-time.ts';
import { anonymise } from '../anonymise/anonymise.ts';
import type { Complaint, ComplaintEvent } from '../complaints/schema.ts';
import { NEVER_PUBLIC, STATUS_LABELS, isConfirmedResolved, isOpen, type Status } from '../complaints/states.ts';
import { CATEGORY_LABELS, DEMAND_LABELS, type Category, type Demand } from '../complaints/taxonomy.ts';
import type { Provider } from '../providers/schema.ts';
import { windowHours } from '../sla/deadlines.ts';
import {
  FIRST_RESPONSE_BREACH,
  PUBLIC_EVENTS,
  RESOLUTION_BREACH,
  firstAnswerAt,
  forwardedAt,
  isPublicEvent,
  mentionsRefund,
  publicOverrides,
  ratingOf,
  type PublicActor,
  type Rating,
} from './public-timeline.ts';

export interface PublicTimelineEntry {
  type: string;
  label: string;
  by: PublicActor;
  body: string | null;
  date: string;
  status: string | null;
  /** A proposal that a dispute, a reopening or a newer proposal overtook: history, not the answer. */
  superseded?: boolean;
}

export interface PublicCase {
  id: number;
  url: string;
  title: string;
  description: string;
  /** Per-case pseudonym: the same consumer has a different one on every case. */
  consumer: string;
  provider: { slug: string; name: string; hotline: string | null; verified: boolean };
  category: string;
  categoryLabel: string;
  demands: string[];
  demandLabels: string[];
  amountFen: number | null;
  /** Dates only (YYYY-MM-DD, China time). */
  filedAt: string;
  incidentDate: string | null;
  status: string;
  statusLabel: string;
  overdue: boolean;
  deadlines: {
    firstResponseDue: string | null;
    firstResponseMet: boolean | null;
    firstResponseOverdue: boolean;
    resolutionDue: string | null;
    resolutionOverdue: boolean;
    /** The windows this case was given (hours after forwarding), read back from its stored due times. */
    firstResponseHours: number | null;
    resolutionHours: number | null;
    /** The due instants (ISO), for times to the minute; absent from cases materialised before they were added. */
    firstResponseDueAt?: string | null;
    resolutionDueAt?: string | null;
  };
  timeline: PublicTimelineEntry[];
  /** The provider's current proposal (or the confirmed resolution); null once disputed or reopened. */
  resolution: { text: string; date: string; confirmed: boolean } | null;
  /** Why the case is open again, shown before everything else ("消费者于 … 不认可机构的方案…"); null otherwise. */
  stateNote: string | null;
  outcome: { resolved: boolean; refunded: boolean; daysToResolution: number | null; rating: Rating | null };
  updatedAt: string;
}

export interface PublicCaseSource {
  complaint: Complaint;
  provider: Provider;
  /** The consumer's own names and contact details: scrubbed from every text, never copied. */
  consumer: { realName: string | null; displayName: string; email: string; phone: string | null };
  /** The whole timeline; internal and non-public events are dropped here. */
  events: readonly ComplaintEvent[];
  /** Names of the attachments: never public, scrubbed if a text repeats them. */
  attachmentNames: readonly string[];
  /** Key for the pseudonym (the session secret): without it the pseudonym cannot be linked to the case id. */
  secret: string;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function pseudonymFor(secret: string, complaintId: number): string {
  const mac = createHmac('sha256', secret).update(`public-case-pseudonym:${complaintId}`).digest('hex');
  return `用户 ${mac.slice(0, 6).toUpperCase()}`;
}

/** Consent and status decide; moderation (takedown) is decided by the caller, which holds the publication row. */
export const isPublishable = (c: Pick<Complaint, 'consent' | 'status'>) =>
  c.consent === 'public' && !NEVER_PUBLIC.includes(c.status as Status);

/** Values known to be private that a text might repeat verbatim (a pasted order number, the contact phone …). */
function literalScrubber(src: PublicCaseSource): (text: string) => string {
  const c = src.complaint;
  const secrets: [string, string][] = [
    [c.transactionRef, '[单号]'],
    [c.contactPhone, '[手机号]'],
    [src.consumer.phone, '[手机号]'],
    [src.consumer.email, '[邮箱]'],
    ...src.attachmentNames.map((n): [string, string] => [n, '[附件]']),
  ]
    .filter((p): p is [string, string] => typeof p[0] === 'string' && p[0].trim().length >= 5)
    .map(([s, ph]) => [s.normalize('NFKC').trim(), ph]);
  if (secrets.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const [s, ph] of secrets) {
      if (out.includes(s)) out = out.replaceAll(s, ph);
      else if (out.normalize('NFKC').includes(s)) out = out.normalize('NFKC').replaceAll(s, ph);
    }
    return out;
  };
}

export function toPublicCase(src: PublicCaseSource): PublicCase {
  const { complaint: c, provider: p, events } = src;
  const knownNames = [src.consumer.realName, src.consumer.displayName].filter((n): n is string => !!n);
  const scrubLiterals = literalScrubber(src);
  const clean = (text: string) => scrubLiterals(anonymise(text, { knownNames }).text);
  // An admin's correction replaces the machine's text; it still goes through the scrubber, as a second pair of eyes.
  const overrides = publicOverrides(events);
  const publicText = (key: string, original: string) => clean(overrides[key] ?? original);

  const visible = events.filter(isPublicEvent);
  const fwd = forwardedAt(events);
  const answeredAt = c.firstResponseAt ?? firstAnswerAt(events, fwd);
  // The due times are the ones the SLA policy stored when the clocks started: never worked out again here.
  const firstDue = c.firstResponseDueAt;
  const resolutionDue = c.resolutionDueAt;
  const windows = windowHours(c);
  const firstBreached = c.firstResponseBreachedAt != null || events.some((e) => e.type === FIRST_RESPONSE_BREACH);
  const resolutionBreached = c.resolutionBreachedAt != null || events.some((e) => e.type === RESOLUTION_BREACH);
  const firstMet = answeredAt !== null && firstDue !== null ? answeredAt <= firstDue : firstBreached ? false : null;

  const { proposal, superseded, reopenedBy } = currentProposal(events);
  const resolved = isConfirmedResolved(c);
  const confirm = [...events].reverse().find((e) => e.type === 'confirm');
  const resolutionText = proposal ? publicText(`event:${proposal.id}`, proposal.body!) : null;

  return {
    id: c.id,
    url: `/cases/${c.id}`,
    title: publicText('title', c.title),
    description: publicText('description', c.description),
    consumer: pseudonymFor(src.secret, c.id),
    provider: { slug: p.slug, name: p.name, hotline: p.hotline, verified: p.verified },
    category: c.category,
    categoryLabel: CATEGORY_LABELS[c.category as Category] ?? c.category,
    demands: [...c.demands],
    demandLabels: c.demands.map((d) => DEMAND_LABELS[d as Demand] ?? d),
    amountFen: c.amountFen ?? null,
    filedAt: chinaDay(c.createdAt),
    incidentDate: c.incidentDate ?? null,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status as Status] ?? c.status,
    overdue: firstBreached || resolutionBreached,
    deadlines: {
      firstResponseDue: firstDue === null ? null : chinaDay(firstDue),
      firstResponseMet: firstMet,
      firstResponseOverdue: firstBreached,
      resolutionDue: resolutionDue === null ? null : chinaDay(resolutionDue),
      firstResponseDueAt: firstDue === null ? null : new Date(firstDue).toISOString(),
      resolutionDueAt: resolutionDue === null ? null : new Date(resolutionDue).toISOString(),
      resolutionOverdue: resolutionBreached,
      firstResponseHours: windows.firstResponseHours,
      resolutionHours: windows.resolutionHours,
    },
    timeline: visible.map((e) => {
      const rule = PUBLIC_EVENTS[e.type];
      const overtaken = superseded.get(e.id);
      return {
        type: e.type,
        label: overtaken ? `${rule.label}${SUPERSEDED_BY[overtaken]}` : rule.label,
        by: rule.by,
        date: chinaDay(e.createdAt),
        status: e.status ?? null,
        body: rule.withBody && e.body ? publicText(`event:${e.id}`, e.body) : null,
        ...(overtaken ? { superseded: true } : {}),
      };
    }),
    stateNote:
      !resolved && reopenedBy && isOpen(c)
        ? `${STATE_NOTES[reopenedBy.type]}（${chinaDay(reopenedBy.createdAt)}），投诉仍在处理中。`
        : null,
    resolution:
      proposal && resolutionText
        ? { text: resolutionText, date: chinaDay(proposal.createdAt), confirmed: resolved }
        : null,
    outcome: {
      resolved,
      refunded: resolved && !!proposal && mentionsRefund(resolutionText, proposal.data),
      daysToResolution: resolved && confirm ? Math.round(((confirm.createdAt - c.createdAt) / DAY) * 10) / 10 : null,
      rating: resolved ? ratingOf(confirm) : null,
    },
    updatedAt: chinaDay(Math.max(c.createdAt, ...visible.map((e) => e.createdAt))),
  };
}

const SUPERSEDED_BY: Readonly<Record<string, string>> = {
  dispute: '（消费者不认可，已失效）',
  reopen: '（投诉已重新打开，已失效）',
  propose_resolution: '（已被新方案取代）',
};
const STATE_NOTES: Readonly<Record<string, string>> = {
  dispute: '消费者不认可机构提出的方案',
  reopen: '消费者重新打开了投诉',
};

/**
 * The proposal that stands now: the latest public one, unless the consumer disputed it or reopened the case after it.
 * Every earlier proposal is marked with what overtook it, so the timeline keeps the history without presenting it
 * as the answer.
 */
function currentProposal(events: readonly ComplaintEvent[]) {
  let proposal: ComplaintEvent | undefined;
  let reopenedBy: ComplaintEvent | undefined;
  const superseded = new Map<number, string>();
  for (const e of events) {
    if (e.internal) continue;
    if (e.type === 'propose_resolution' && e.body) {
      if (proposal) superseded.set(proposal.id, 'propose_resolution');
      proposal = e;
      reopenedBy = undefined;
    } else if (e.type === 'dispute' || e.type === 'reopen') {
      if (proposal) superseded.set(proposal.id, e.type);
      proposal = undefined;
      reopenedBy = e;
    }
  }
  return { proposal, superseded, reopenedBy };
}
