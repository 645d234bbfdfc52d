// The append-only timeline's one writer. Intake, transitions, the deadline tick, deliveries and moderation all record
// through append(): one drizzle insert prepared once per connection, with placeholders, so the hot paths (filing, a
// busy tick) pay no query build, and the column list is the schema's own. It runs in the caller's transaction: the
// app has one connection, and a statement on it joins whatever transaction is open there.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Actor, SystemActor } from '../../lib/ctx.ts';
import { complaintEvents } from './schema.ts';
import type { Status } from './states.ts';

export interface TimelineEntry {
  complaintId: number;
  type: string;
  /** Who: a person, or the platform itself (SYSTEM) for deadlines and deliveries. */
  actor: Actor | SystemActor;
  body?: string | null;
  /** Status after the event, when the event changed it. */
  status?: Status | null;
  data?: Record<string, unknown> | null;
  /** Staff notes and moderation decisions: never shown to the consumer or the public. */
  internal?: boolean;
  at: number;
}

export function timeline(db: Db) {
  const p = (name: string) => sql.placeholder(name);
  const insert = db
    .insert(complaintEvents)
    .values({
      complaintId: p('complaintId'),
      type: p('type'),
      actorRole: p('actorRole'),
      actorId: p('actorId'),
      body: p('body'),
      status: p('status'),
      // Encoded here rather than by the column, whose encoder would store a JSON "null" for no data instead of NULL.
      data: sql`${p('data')}`,
      internal: p('internal'),
      createdAt: p('createdAt'),
    })
    .prepare();

  return {
    /** Records one event; its id (mails and deliveries are keyed by it). */
    append(e: TimelineEntry): number {
      return Number(
        insert.run({
          complaintId: e.complaintId,
          type: e.type,
          actorRole: e.actor.role,
          actorId: e.actor.role === 'system' ? null : e.actor.id,
          body: e.body ?? null,
          status: e.status ?? null,
          data: e.data ? JSON.stringify(e.data) : null,
          internal: e.internal ?? false,
          createdAt: e.at,
        }).lastInsertRowid,
      );
    },
  };
}

export type Timeline = ReturnType<typeof timeline>;
