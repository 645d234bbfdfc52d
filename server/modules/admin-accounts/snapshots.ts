// What the audit log keeps of an account before and after a change: the facts an admin acts on, never a password hash,
// a two-factor secret or a token.
import type { User } from '../accounts/schema.ts';

export interface UserSnapshot {
  id: number;
  email: string;
  displayName: string;
  role: User['role'];
  providerId: number | null;
  disabled: boolean;
  isManager: boolean;
  emailVerified: boolean;
}

export const userSnapshot = (u: User): UserSnapshot => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  providerId: u.providerId,
  disabled: u.disabledAt !== null,
  isManager: u.isManager,
  emailVerified: u.emailVerifiedAt !== null,
});
