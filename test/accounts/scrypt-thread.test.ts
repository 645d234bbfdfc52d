// Passwords are hashed in a thread of their own at a lowered priority (scrypt-thread.ts): the same derivation as
// node:crypto's, the same stored format, the request thread and libuv's pool free meanwhile, errors answered as
// errors, and a new thread after the old one is gone.
import { scryptSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/modules/accounts/password.ts';
import {
  SCRYPT_NICE,
  scryptInThread,
  scryptThreadLowered,
  stopScryptThread,
} from '../../server/modules/accounts/scrypt-thread.ts';

const OPTIONS = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** Nice values of this process's threads (Linux: field 19 of /proc/self/task/<tid>/stat). */
const niceValues = () =>
  readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });

describe('the scrypt thread', () => {
  afterAll(() => stopScryptThread());

  it('derives what node:crypto derives, and stored hashes verify as before', { timeout: 30_000 }, async () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = await scryptInThread('密码 password', salt, 32, OPTIONS);
    expect(key.equals(scryptSync('密码 password', salt, 32, OPTIONS))).toBe(true);
    const stored = await hashPassword('a-long-enough-password');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('a-long-enough-password', stored)).toBe(true);
    expect(await verifyPassword('a-long-enough-passwore', stored)).toBe(false);
    // A hash written by node:crypto directly (as every stored hash was before the thread) verifies.
    const legacy = `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('密码 password', legacy)).toBe(true);
  });

  it('leaves the event loop and the disk free while hashes run', { timeout: 30_000 }, async () => {
    let hashed = 0;
    const hashes = Array.from({ length: 6 }, () => hashPassword('a-long-enough-password').then(() => hashed++));
    await new Promise((r) => setImmediate(r));
    await readFile(new URL(import.meta.url)); // libuv's pool is not taken by the hashes
    expect(hashed).toBeLessThan(2);
    await Promise.all(hashes);
    expect(hashed).toBe(6);
  });

  it('answers bad parameters with an error and goes on hashing', { timeout: 30_000 }, async () => {
    await expect(scryptInThread('x', Buffer.from('salt'), 32, { N: 3, r: 8, p: 1 })).rejects.toThrow();
    expect((await scryptInThread('x', Buffer.from('salt'), 16, OPTIONS)).length).toBe(16);
  });

  it('starts a new thread after the old one ended', { timeout: 30_000 }, async () => {
    await stopScryptThread();
    const key = await scryptInThread('x', Buffer.from('salt'), 16, OPTIONS);
    expect(key.equals(scryptSync('x', Buffer.from('salt'), 16, OPTIONS))).toBe(true);
  });

  it.runIf(existsSync('/proc/thread-self'))('runs at a lowered priority, and only that thread', async () => {
    expect(await scryptThreadLowered()).toBe(true);
    const nices = niceValues();
    expect(nices).toContain(SCRYPT_NICE);
    expect(Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16])).toBe(0);
  });
});
