// Inbox rows as staff see them: the summary, the deadline being worked against and its countdown.
import type { Provider } from '../providers/schema.ts';
import type { Complaint } from '../complaints/schema.ts';
import { toComplaintSummary } from '../complaints/view-model.ts';
import { countdownLine } from '../sla/view-model.ts';

export function toInboxItem(c: Complaint, p: Provider, now: number) {
  const countdown = countdownLine(c, now);
  return {
    ...toComplaintSummary(c, p),
    deadline: countdown ? { kind: countdown.label, dueAt: new Date(countdown.dueAt).toISOString(), text: countdown.text, late: countdown.late } : null,
    resolutionPaused: c.resolutionPausedAt !== null,
  };
}
