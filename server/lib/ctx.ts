// What every service verb receives first: who is acting, what time it is, and (optionally) the transaction to join.
import type { Clock } from './clock.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../modules/accounts/schema.ts';
import { Unauthorized } from './errors.ts';

export interface Actor {
  id: number;
  role: Role;
  email: string;
  displayName: string;
  /** provider_staff only. */
  providerId: number | null;
  /** Two-factor is set up (read with the session; absent where an actor is made otherwise). */
  hasTotp?: boolean;
}

/** The platform itself: the deadline scheduler, the outbox worker's effects, start-up tasks. Never a signed-in person. */
export interface SystemActor {
  readonly role: 'system';
}
export const SYSTEM: SystemActor = Object.freeze({ role: 'system' });

export interface Ctx {
  /** A signed-in person, the platform itself, or null for an anonymous visitor. */
  actor: Actor | SystemActor | null;
  clock: Clock;
  tx?: Db;
}

/** The context of work nobody asked for in a request: scheduled ticks, queued effects, start-up seeding. */
export const systemCtx = (clock: Clock): Ctx => ({ actor: SYSTEM, clock });

/** The person acting (signed in); the system and anonymous visitors get 401, as nobody can sign in as the platform. */
export function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor || ctx.actor.role === 'system') throw new Unauthorized();
  return ctx.actor;
}

/** The person acting, or null for the system and anonymous visitors. */
export const personOf = (ctx: Ctx): Actor | null => (ctx.actor && ctx.actor.role !== 'system' ? ctx.actor : null);
