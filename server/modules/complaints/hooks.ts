// In-transaction hooks: other domains (forwarding, notifications, publication/search sync) react to a complaint's
// change inside the same transaction that made it, so their outbox rows commit or roll back with the change.
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';

export interface ComplaintChange {
  complaintId: number;
  /** The timeline event type that was written (submitted, approve, reply, confirm …). */
  event: string;
  /** Status before and after; equal when the event did not change it. */
  from: string | null;
  to: string;
}

export type ChangeHook = (tx: Db, ctx: Ctx, change: ComplaintChange) => void;

export class ComplaintHooks {
  private readonly hooks: { name: string; fn: ChangeHook }[] = [];

  /** Registered once at start by each interested plugin. Hooks must be synchronous (better-sqlite3 transactions are). */
  onChange(name: string, fn: ChangeHook): void {
    this.hooks.push({ name, fn });
  }

  /** Called by every verb that writes a timeline event, inside its transaction. */
  run(tx: Db, ctx: Ctx, change: ComplaintChange): void {
    for (const h of this.hooks) h.fn(tx, ctx, change);
  }
}
