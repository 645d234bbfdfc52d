// Handlers by topic: each outbound kind of work (delivery, email, search sync …) registers how it is sent and what
// happens in the database when it finishes or dies. Senders stay small; the worker owns claiming, retries and records.
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { OutboxRow } from './schema.ts';

export type OutboxItem = OutboxRow;

export interface AttemptCtx {
  /** 1-based number of this try. */
  attempt: number;
  clock: Clock;
  /** Aborted when the app closes; senders pass it on to their requests. */
  signal: AbortSignal;
}

export type SendResult =
  | { ok: true; detail: string }
  /** retryable: false dead-letters at once (e.g. a 4xx from a webhook: sending again cannot help). */
  | { ok: false; detail: string; retryable?: boolean }
  /** The work is now with a person (operator call, research): the row stays claimed by 'operator' until they record an outcome. */
  | { handoff: true; detail: string };

export interface OutboxHandler {
  send(item: OutboxItem, attempt: AttemptCtx): Promise<SendResult>;
  /** In the transaction that marks the row done. */
  onDone?(tx: Db, item: OutboxItem, detail: string): void;
  /** In the transaction that dead-letters the row. */
  onDead?(tx: Db, item: OutboxItem, detail: string): void;
  /** In the transaction that hands the row to a person. */
  onHandoff?(tx: Db, item: OutboxItem, detail: string): void;
}

export class HandlerRegistry {
  private readonly handlers = new Map<string, OutboxHandler>();

  register(topic: string, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`outbox handler for topic "${topic}" registered twice`);
    this.handlers.set(topic, handler);
  }

  get(topic: string): OutboxHandler | undefined {
    return this.handlers.get(topic);
  }
}
