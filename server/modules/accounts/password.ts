// Passwords are hashed with scrypt (node:crypto); parameters travel with the hash so they can be raised later.
import { randomBytes, timingSafeEqual } from 'node:crypto';
// In a thread of its own at a lowered priority, off libuv's pool: a burst of logins neither holds the threads the
// disk work needs nor a core the request thread needs (scrypt-thread.ts).
import { scryptInThread as scrypt } from './scrypt-thread.ts';

const N = 1 << 15;
const r = 8;
const p = 1;
const KEYLEN = 32;
const maxmem = 128 * N * r * 2;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, { N, r, p, maxmem });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const params = { N: Number(n), r: Number(rr), p: Number(pp) };
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, {
    ...params,
    maxmem: 128 * params.N * params.r * 2,
  });
  return timingSafeEqual(key, expected);
}

/** Spent when the e-mail is unknown, so a login's timing does not reveal which accounts exist. */
let dummyHash: Promise<string> | null = null;
export async function burnPasswordTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password');
  await verifyPassword(password, await dummyHash);
}
