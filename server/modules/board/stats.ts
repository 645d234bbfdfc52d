// What one complaint contributes to its provider's scorecard, read from the same timeline events the lifecycle writes.
// Pure: the hook stores the result per case and applies the difference to the monthly aggregates.
import type { Complaint, ComplaintEvent } from '../complaints/schema.ts';
import { isConfirmedResolved, isJudged, type Status } from '../complaints/states.ts';
import { chinaDay } from '../../lib/china-time.ts';
import { FIRST_RESPONSE_BREACH, firstAnswerAt, forwardedAt, ratingOf } from './public-timeline.ts';

export interface CaseContribution {
  providerId: number;
  month: string;
  forwarded: number;
  replied: number;
  firstResponseDecided: number;
  firstResponseOnTime: number;
  firstResponseTenths: number | null;
  finished: number;
  resolved: number;
  ratingPoints: number;
  ratingParts: number;
}

const HOUR = 3600_000;
/** Longest first-response time the histogram keeps apart (30 days); longer ones share the last bucket. */
export const MAX_TENTHS = 30 * 24 * 10;

export function contributionOf(
  c: Pick<Complaint, 'providerId' | 'createdAt' | 'status' | 'forwardedAt' | 'firstResponseDueAt'>,
  events: readonly ComplaintEvent[],
): CaseContribution {
  const fwd = forwardedAt(events);
  const forwarded = fwd !== null;
  const answered = firstAnswerAt(events, fwd);
  // The stored due time belongs to the first forwarding until a reopen restarts the clocks; after one, the first
  // forwarding's deadline is that forwarding plus the stored window (the policy's hours for this case, never a literal).
  const reopened = events.some((e) => e.type === 'reopen');
  const window = c.forwardedAt !== null && c.firstResponseDueAt !== null ? c.firstResponseDueAt - c.forwardedAt : null;
  const due = !reopened ? c.firstResponseDueAt : fwd !== null && window !== null ? fwd + window : null;
  const breached = events.some((e) => e.type === FIRST_RESPONSE_BREACH);
  const resolved = forwarded && isConfirmedResolved(c as { status: Status });
  const rating = resolved ? ratingOf([...events].reverse().find((e) => e.type === 'confirm')) : null;
  const tenths =
    answered !== null && fwd !== null
      ? Math.min(MAX_TENTHS, Math.max(0, Math.round(((answered - fwd) / HOUR) * 10)))
      : null;
  return {
    providerId: c.providerId,
    month: chinaDay(c.createdAt).slice(0, 7),
    forwarded: forwarded ? 1 : 0,
    replied: answered !== null ? 1 : 0,
    // Decided once the provider answered or the deadline passed (the SLA worker's breach event says so).
    firstResponseDecided: forwarded && (answered !== null || breached) ? 1 : 0,
    firstResponseOnTime: answered !== null && due !== null && answered <= due ? 1 : 0,
    firstResponseTenths: tenths,
    finished: forwarded && isJudged(c as { status: Status }) ? 1 : 0,
    resolved: resolved ? 1 : 0,
    ratingPoints: rating ? rating.attitude + rating.speed + rating.satisfaction : 0,
    ratingParts: rating ? 3 : 0,
  };
}
