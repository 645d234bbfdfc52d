// Guessing passwords: a per-account backoff after failed logins, one per-IP bucket shared by every login form, and
// what happens to a browser's session and CSRF secret when it logs in.
//
// Backoff: the first FREE_FAILURES failures cost nothing; from then on each failure makes the next try wait 1 s, 2 s,
// 4 s … up to 15 minutes. A try during the wait is refused (429 LOGIN_BACKOFF, Retry-After) without checking the
// password, so a correct password does not help a guesser either. It never becomes a lockout: the wait is capped, a
// success clears it, and a password reset by e-mail clears it too (setPassword), so whoever owns the mailbox is never
// kept out by someone else's guesses. The try is charged before the password is checked, in one statement: parallel
// guesses cannot all slip in before the first failure is written.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Sqlite } from '../../db/database.ts';
import { TooMany } from '../../lib/errors.ts';
import type { User } from './schema.ts';

export const FREE_FAILURES = 5;
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 15 * 60_000;
/** Every login form together (/login, /merchant/login, /api/v1/auth/login), per IP address. */
export const LOGIN_IP_LIMIT = { max: 10, timeWindowMs: 60_000 };

/** How long the try after `failures` consecutive failures must wait. */
export const backoffMs = (failures: number) =>
  failures < FREE_FAILURES
    ? 0
    : Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - FREE_FAILURES, 30));

const backoffMessage = (seconds: number) =>
  seconds >= 60
    ? `登录失败次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试；忘记密码可以通过邮件重设`
    : `登录失败次数过多，请 ${seconds} 秒后再试；忘记密码可以通过邮件重设`;

export function loginBackoff(sqlite: Sqlite) {
  // Charged before the password is checked; refused (no row) while the account waits. The CASE sets the wait that
  // follows this try should it fail; a success clears both columns.
  const charge = sqlite.prepare(`UPDATE users SET failed_logins = failed_logins + 1,
      login_blocked_until = CASE WHEN failed_logins + 1 >= ${FREE_FAILURES}
        THEN :now + min(${BACKOFF_CAP_MS}, ${BACKOFF_BASE_MS} * (1 << min(failed_logins + 1 - ${FREE_FAILURES}, 30)))
        ELSE NULL END
    WHERE id = :id AND (login_blocked_until IS NULL OR login_blocked_until <= :now)`);
  const blockedUntil = sqlite.prepare('SELECT login_blocked_until FROM users WHERE id = ?').pluck() as unknown as {
    get(id: number): number | null;
  };
  const clear = sqlite.prepare(
    'UPDATE users SET failed_logins = 0, login_blocked_until = NULL WHERE id = ? AND (failed_logins > 0 OR login_blocked_until IS NOT NULL)',
  );

  return {
    /** Counts this try against the account, or refuses it (429 LOGIN_BACKOFF) while the account waits. */
    charge(user: Pick<User, 'id'>, now: number): void {
      if (charge.run({ id: user.id, now }).changes === 1) return;
      const until = blockedUntil.get(user.id) ?? now;
      const seconds = Math.max(1, Math.ceil((until - now) / 1000));
      throw new TooMany(backoffMessage(seconds), seconds, 'LOGIN_BACKOFF', 'password');
    },
    /** A correct password: the count starts again. */
    succeeded(user: Pick<User, 'id'>): void {
      clear.run(user.id);
    },
  };
}

export type LoginBackoff = ReturnType<typeof loginBackoff>;

/**
 * One bucket per IP address shared by every login form: an onRequest hook to add to each of them (their own route
 * limits stay, as every state-changing route carries one). Without RATE_LIMITS there is no limiter and no hook.
 */
export function sharedLoginLimit(app: FastifyInstance) {
  if (!app.hasDecorator('createRateLimit')) return [];
  const limiter = app.createRateLimit({ max: LOGIN_IP_LIMIT.max, timeWindow: LOGIN_IP_LIMIT.timeWindowMs });
  return [
    async (req: FastifyRequest, reply: FastifyReply) => {
      const r = await limiter(req);
      if (!r.isAllowed && r.isExceeded) {
        const seconds = Math.max(1, r.ttlInSeconds);
        void reply.header('Retry-After', String(seconds));
        throw new TooMany(`登录尝试过于频繁，请 ${seconds} 秒后再试`, seconds);
      }
    },
  ];
}

/**
 * Starts the session of someone who just proved who they are: the session they had before (if any) ends, the new id is
 * random, and the CSRF secret is replaced, so a token handed out before login (to this page or to a page an attacker
 * planted it in) no longer works. Pages render fresh tokens; API clients fetch GET /api/v1/auth/csrf again.
 */
export function beginSession(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, user: User): void {
  const old = req.sessionId();
  if (old) app.accounts.endSession(old);
  reply.setSession(app.accounts.startSession(req.ctx(), user.id, req.headers['user-agent'] ?? null));
  reply.rotateCsrfSecret();
}
