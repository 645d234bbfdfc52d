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
}

export interface Ctx {
  actor: Actor | null;
  clock: Clock;
  tx?: Db;
}

export function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new Unauthorized();
  return ctx.actor;
}
