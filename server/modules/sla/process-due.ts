// What the scheduler does to one complaint whose next deadline has come: auto-close it, or fire its warnings and
// breaches. Each fires exactly once: the flag column is set by an UPDATE guarded on IS NULL (the auto-close by the
// status guard), in the same transaction as its timeline event and its queued effects, so a second tick, a second
// process or a restart finds nothing to do.
import type { Statement } from 'better-sqlite3';
import type { Db, Sqlite } from '../../db/database.ts';
import { SYSTEM, type Ctx } from '../../lib/ctx.ts';
import type { Complaint } from '../complaints/schema.ts';
import { recordTransition, type TransitionDeps } from '../complaints/transitions.ts';
import type { EffectsQueue } from './effects.ts';
import { dueDeadlines, nextDeadlineAt, type DeadlineKind } from './deadlines.ts';

type FlagColumn = 'firstResponseWarnedAt' | 'firstResponseBreachedAt' | 'resolutionWarnedAt' | 'resolutionBreachedAt';

const FLAGS: Record<
  Exclude<DeadlineKind, 'auto_close'>,
  { column: FlagColumn; event: string; due: (c: Complaint) => number | null }
> = {
  first_response_warning: {
    column: 'firstResponseWarnedAt',
    event: 'first_response_warning',
    due: (c) => c.firstResponseDueAt,
  },
  first_response_breach: {
    column: 'firstResponseBreachedAt',
    event: 'first_response_breached',
    due: (c) => c.firstResponseDueAt,
  },
  resolution_warning: { column: 'resolutionWarnedAt', event: 'resolution_warning', due: (c) => c.resolutionDueAt },
  resolution_breach: { column: 'resolutionBreachedAt', event: 'resolution_breached', due: (c) => c.resolutionDueAt },
};

const COLUMN_SQL: Record<FlagColumn, string> = {
  firstResponseWarnedAt: 'first_response_warned_at',
  firstResponseBreachedAt: 'first_response_breached_at',
  resolutionWarnedAt: 'resolution_warned_at',
  resolutionBreachedAt: 'resolution_breached_at',
};

/** The tick's own statements, prepared once per connection: a busy tick runs them thousands of times. */
export function deadlineStatements(sqlite: Sqlite) {
  const flag = Object.fromEntries(
    (Object.keys(COLUMN_SQL) as FlagColumn[]).map((k) => [
      k,
      sqlite.prepare(`UPDATE complaints SET ${COLUMN_SQL[k]} = ? WHERE id = ? AND ${COLUMN_SQL[k]} IS NULL`),
    ]),
  ) as Record<FlagColumn, Statement>;
  return {
    /** Sets a flag only if unset; true when this call set it. */
    setFlag: (column: FlagColumn, id: number, value: number) => flag[column].run(value, id).changes === 1,
    setNext: sqlite.prepare('UPDATE complaints SET next_deadline_at = ? WHERE id = ?'),
  };
}
export type DeadlineStatements = ReturnType<typeof deadlineStatements>;

/** A breach also consumes its warning: a warning sent after the breach would only confuse. */
const WARNING_OF: Partial<Record<FlagColumn, FlagColumn>> = {
  firstResponseBreachedAt: 'firstResponseWarnedAt',
  resolutionBreachedAt: 'resolutionWarnedAt',
};

/**
 * Records what has fallen due for one complaint and queues its effects (board, search, mails) as one outbox row per
 * fired deadline: see effects.ts for why they are not applied here.
 */
export function processDue(
  deps: TransitionDeps,
  effects: EffectsQueue,
  st: DeadlineStatements,
  tx: Db,
  ctx: Ctx,
  c: Complaint,
  now: number,
): DeadlineKind[] {
  const due = dueDeadlines(c, now);
  if (due.includes('auto_close')) {
    const { eventId } = recordTransition(deps, ctx, c, 'auto_close', 'closed_unconfirmed', {
      actor: SYSTEM,
      body: null,
    });
    effects.queue(tx, ctx, c.id, {
      eventId,
      event: 'auto_close',
      from: c.status,
      to: 'closed_unconfirmed',
      body: null,
    });
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
    const changed = st.setFlag(flag.column, c.id, value);
    cur = { ...cur, [flag.column]: cur[flag.column] ?? value };
    const warning = WARNING_OF[flag.column];
    if (warning && cur[warning] === null) {
      st.setFlag(warning, c.id, now);
      cur = { ...cur, [warning]: now };
    }
    if (!changed) continue;
    const eventId = deps.timeline.append({
      complaintId: c.id,
      type: flag.event,
      actor: SYSTEM,
      status: cur.status,
      at: now,
      data: { dueAt: dueAt === null ? null : new Date(dueAt).toISOString() },
      internal: kind.endsWith('_warning'),
    });
    effects.queue(tx, ctx, c.id, { eventId, event: flag.event, from: cur.status, to: cur.status, body: null, dueAt });
    fired.push(kind);
  }
  st.setNext.run(nextDeadlineAt(cur), c.id);
  return fired;
}
