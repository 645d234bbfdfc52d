// How each lifecycle transition moves the clocks, pure: the complaint's deadline columns, the transition and the
// time in; the column patch (next_deadline_at included) out.
import { CLOSED, type Status } from '../complaints/states.ts';
import {
  nextDeadlineAt,
  pauseResolution,
  resumeResolution,
  startClocks,
  type Clocks,
  type SlaPolicy,
} from './deadlines.ts';

/** Provider actions that count as the first response. An internal note does not. */
const PROVIDER_ANSWERS = new Set(['reply', 'request_info', 'propose_resolution']);

export interface ClockChange {
  event: string;
  from: Status;
  to: Status;
}

export function clocksAfter(c: Clocks, change: ClockChange, now: number, policy: SlaPolicy): Partial<Clocks> {
  const { event, from, to } = change;
  let patch: Partial<Clocks> = {};
  const next = () => ({ ...c, ...patch, status: to });

  // Approval starts the clocks; a reopen sends the case back to the provider with fresh ones.
  if (event === 'approve' || event === 'reopen') patch = { ...patch, ...startClocks(now, policy) };
  if (PROVIDER_ANSWERS.has(event) && c.firstResponseAt === null) patch.firstResponseAt = now;

  if (to === 'awaiting_consumer' && from !== 'awaiting_consumer') {
    patch = { ...patch, ...pauseResolution(next(), now), autoCloseAt: now + policy.autoCloseMs };
  } else if (to === 'awaiting_consumer' && event === 'propose_resolution') {
    // A new proposal gives the consumer a full week to answer it.
    patch.autoCloseAt = now + policy.autoCloseMs;
  }
  if (from === 'awaiting_consumer' && to !== 'awaiting_consumer') {
    // Dispute or supplement resume the clock; confirming or closing ends it with the pause recorded.
    patch = { ...patch, ...resumeResolution(next(), now), autoCloseAt: null };
  }
  if (to === 'resolved' && from !== 'resolved') patch.resolvedAt = now;
  if (CLOSED.includes(to) && !CLOSED.includes(from)) patch.closedAt = now;

  patch.nextDeadlineAt = nextDeadlineAt(next(), policy.warnFraction);
  return patch;
}
