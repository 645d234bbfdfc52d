// A fired deadline's effects travel through the outbox. The scheduler records the deadline itself (the flag, the
// timeline event) and queues one 'deadline_effects' row in the same transaction; the outbox worker then applies what
// follows from it (the board's public row and scorecard, search sync, the mails to consumer and staff) with the same
// applyEffects a person's transition uses. A tick therefore costs what recording costs, and a catch-up after a day of
// downtime does not hold the event loop while it rebuilds thousands of public cases: the worker spreads that work
// over small batches. Nothing is lost in between: the row is durable, retried with backoff and dead-lettered like any
// delivery, and applying it twice is harmless (applyEffects is idempotent per event).
import type { Db, Sqlite } from '../../db/database.ts';
import type { GroupCommit } from '../../db/group-commit.ts';
import { rowReader } from '../../db/rows.ts';
import type { Clock } from '../../lib/clock.ts';
import { type Ctx, systemCtx } from '../../lib/ctx.ts';
import { complaintCodecs, complaints } from '../complaints/schema.ts';
import { applyEffects, type ChangeEffects, type TransitionDeps } from '../complaints/transitions.ts';
import type { Outbox } from '../outbox/plugin.ts';
import type { OutboxHandler } from '../outbox/registry.ts';
import { providerCodecs, providers } from '../providers/schema.ts';

export const DEADLINE_EFFECTS_TOPIC = 'deadline_effects';

export interface EffectsQueue {
  queue(tx: Db, ctx: Ctx, complaintId: number, effects: ChangeEffects): void;
}

export function effectsQueue(outbox: Pick<Outbox, 'enqueue'>): EffectsQueue {
  return {
    queue(tx, ctx, complaintId, effects) {
      outbox.enqueue(tx, ctx, {
        topic: DEADLINE_EFFECTS_TOPIC,
        complaintId,
        payload: effects,
        key: `deadline_effects:e${effects.eventId}`,
      });
    },
  };
}

export function deadlineEffectsHandler(o: {
  db: Db;
  sqlite: Sqlite;
  groupCommit: GroupCommit;
  clock: Clock;
  deps: TransitionDeps;
}): OutboxHandler {
  const complaintById = rowReader(o.sqlite, complaints, complaintCodecs, 'WHERE id = ?');
  const providerById = rowReader(o.sqlite, providers, providerCodecs, 'WHERE id = ?');
  return {
    async send(item) {
      const effects = item.payload as ChangeEffects;
      if (typeof item.complaintId !== 'number' || typeof effects?.eventId !== 'number') {
        return { ok: false, retryable: false, detail: 'deadline_effects row without a complaint or event' };
      }
      const ctx = systemCtx(o.clock);
      // The rows the worker sends together share one commit, each in its own savepoint (one failing rolls back alone).
      await o.groupCommit.run(() => {
        // The complaint as it is now: mails name its current title and provider, the board rebuilds from current rows.
        const complaint = complaintById.get(item.complaintId)!;
        const provider = providerById.get(complaint.providerId)!;
        applyEffects(o.deps, o.db, ctx, complaint, provider, effects);
      });
      return { ok: true, detail: `applied ${effects.event} (event ${effects.eventId})` };
    },
  };
}
