// What the scheduler does to one complaint whose next deadline has come: auto-close it, or fire its warnings and
// breaches. Each fires exactly once: the flag column is set by an UPDATE guarded on IS NULL, in the same transaction
// as its timeline event and notifications, so a second tick, a second process or a restart finds nothing to do.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import type { Provider } from '../providers/schema.ts';
import { complaintEvents, complaints, type Complaint } from '../complaints/schema.ts';
import { applyTransition, notifyFor, type TransitionDeps } from '../complaints/transitions.ts';
import { dueDeadlines, nextDeadlineAt, type DeadlineKind } from './deadlines.ts';

type FlagColumn = 'firstResponseWarnedAt' | 'firstResponseBreachedAt' | 'resolutionWarnedAt' | 'resolutionBreachedAt';

const FLAGS: Record<Exclude<DeadlineKind, 'auto_close'>, { column: FlagColumn; event: string; due: (c: Complaint) => number | null }> = {
  first_response_warning: { column: 'firstResponseWarnedAt', event: 'first_response_warning', due: (c) => c.firstResponseDueAt },
  first_response_breach: { column: 'firstResponseBreachedAt', event: 'first_response_breached', due: (c) => c.firstResponseDueAt },
  resolution_warning: { column: 'resolutionWarnedAt', event: 'resolution_warning', due: (c) => c.resolutionDueAt },
  resolution_breach: { column: 'resolutionBreachedAt', event: 'resolution_breached', due: (c) => c.resolutionDueAt },
};

/** A breach also consumes its warning: a warning sent after the breach would only confuse. */
const WARNING_OF: Partial<Record<FlagColumn, FlagColumn>> = {
  firstResponseBreachedAt: 'firstResponseWarnedAt', resolutionBreachedAt: 'resolutionWarnedAt',
};

export function processDue(deps: TransitionDeps, tx: Db, ctx: Ctx, c: Complaint, provider: Provider, now: number): DeadlineKind[] {
  const due = dueDeadlines(c, now);
  if (due.includes('auto_close')) {
    applyTransition(deps, tx, ctx, c, provider, 'auto_close', 'closed_unconfirmed', { actorRole: 'system', actorId: null, body: null });
    return ['auto_close'];
  }
  let cur = c;
  const fired: DeadlineKind[] = [];
  for (const kind of due) {
    if (kind === 'auto_close') continue;
    const flag = FLAGS[kind];
    const dueAt = flag.due(cur);
    // A breach is recorded at the moment the deadline passed, even when noticed after downtime; a warning when sent.
    const value = kind.endsWith('_breach') ? (dueAt ?? now) : now;
    const col = complaints[flag.column];
    const changed = tx.update(complaints).set({ [flag.column]: value }).where(and(eq(complaints.id, c.id), isNull(col))).run().changes === 1;
    cur = { ...cur, [flag.column]: cur[flag.column] ?? value };
    const warning = WARNING_OF[flag.column];
    if (warning && cur[warning] === null) {
      tx.update(complaints).set({ [warning]: now }).where(and(eq(complaints.id, c.id), isNull(complaints[warning]))).run();
      cur = { ...cur, [warning]: now };
    }
    if (!changed) continue;
    tx.insert(complaintEvents).values({
      complaintId: c.id, type: flag.event, actorRole: 'system', actorId: null, body: null, status: cur.status,
      data: { dueAt: dueAt === null ? null : new Date(dueAt).toISOString() }, internal: kind.endsWith('_warning'), createdAt: now,
    }).run();
    deps.hooks.run(tx, ctx, { complaintId: c.id, event: flag.event, from: cur.status, to: cur.status });
    notifyFor(deps, tx, ctx, cur, provider, flag.event, null, dueAt);
    fired.push(kind);
  }
  tx.update(complaints).set({ nextDeadlineAt: nextDeadlineAt(cur) }).where(eq(complaints.id, c.id)).run();
  return fired;
}
