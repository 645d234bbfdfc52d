// Two-factor authentication with TOTP (RFC 6238, what authenticator apps speak): enrolment with a pending secret,
// one-time recovery codes (sha256 stored), and the second login step behind a short-lived mfa_login token.
//
// A code is accepted one 30-second step either side of the server's clock, and never twice: each step a code was
// accepted for is written down as a spent account token (purpose mfa_login, hash of "totp-step:<user>:<step>", used
// from the start), and a code for that step or an earlier one still inside the window is refused.
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { Conflict, Forbidden, Invalid, Unauthorized } from '../../lib/errors.ts';
import { accountTokens, recoveryCodes, users, type Role, type User } from './schema.ts';
import { hashToken, type TokenService } from './tokens.ts';
import type { SiteSettingsService } from './site-settings.ts';
import type { AccountMailer } from '../notifications/account-mail.ts';
import { verifyPassword } from './password.ts';

export const ISSUER = '钱包投诉台';
const STEP_S = 30;
export const MFA_TOKEN_TTL_MS = 5 * 60_000;
/** Wrong codes one second-step token may take before it stops working. */
export const MFA_MAX_MISSES = 5;
const RECOVERY_CODE_COUNT = 10;
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

const stepMarker = (userId: number, step: number) => hashToken(`totp-step:${userId}:${step}`);

/** Ten characters of Crockford base32 (50 bits), shown as xxxxx-xxxxx. */
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += CROCKFORD[b & 31];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
/** What a person types: case, spaces and dashes do not matter; look-alike letters read as digits. */
const normaliseRecoveryCode = (raw: string) =>
  raw.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
const hashRecoveryCode = (raw: string) => hashToken(`recovery:${normaliseRecoveryCode(raw)}`);

/** Six digits, spaces allowed (apps show "123 456"); anything else is not a code. */
const readCode = (raw: unknown): string | null => {
  if (typeof raw !== 'string') return null;
  const c = raw.replace(/\s/g, '');
  return /^\d{6}$/.test(c) ? c : null;
};

export interface SecondStep {
  code?: unknown;
  recoveryCode?: unknown;
}

export function totpService(
  db: Db,
  deps: { tokens: TokenService; settings: SiteSettingsService; mail: () => AccountMailer },
) {
  /** Misses per live second-step token (by its hash); the token itself is what expires, this only counts. */
  const misses = new Map<string, { n: number; until: number }>();

  const userRow = (ctx: Ctx, userId: number): User => {
    const u = (ctx.tx ?? db).select().from(users).where(eq(users.id, userId)).get();
    if (!u) throw new Unauthorized();
    return u;
  };

  /** Whether the code matches a step (±1) not used before; the step it matched is written down as used. */
  function acceptCode(ctx: Ctx, userId: number, secret: string, raw: unknown): boolean {
    const token = readCode(raw);
    if (!token) return false;
    const epoch = Math.floor(ctx.clock.now() / 1000);
    const result = verifySync({ secret, token, epoch, epochTolerance: STEP_S });
    // The TOTP result names the step it matched (the HOTP one in the same union does not).
    if (!result.valid || !('timeStep' in result)) return false;
    const step = result.timeStep;
    const tx = ctx.tx ?? db;
    // Later steps than the one matched can only be within the window: a used one means this code is stale.
    const spent = tx
      .select({ id: accountTokens.id })
      .from(accountTokens)
      .where(
        inArray(
          accountTokens.tokenHash,
          [0, 1, 2].map((d) => stepMarker(userId, step + d)),
        ),
      )
      .get();
    if (spent) return false;
    const now = ctx.clock.now();
    tx.insert(accountTokens)
      .values({
        userId,
        purpose: 'mfa_login',
        tokenHash: stepMarker(userId, step),
        createdAt: now,
        expiresAt: (step + 2) * STEP_S * 1000,
        usedAt: now,
      })
      .run();
    return true;
  }

  function requireCode(ctx: Ctx, userId: number, secret: string, raw: unknown, field = 'code'): void {
    if (typeof raw !== 'string' || !raw.trim()) throw new Invalid({ [field]: '请填写验证器中的 6 位验证码' });
    if (!acceptCode(ctx, userId, secret, raw))
      throw new Invalid({ [field]: '验证码不正确或已使用过，请输入验证器当前显示的 6 位数字' }, 'BAD_CODE');
  }

  function replaceRecoveryCodes(ctx: Ctx, userId: number): string[] {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const tx = ctx.tx ?? db;
    tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
    tx.insert(recoveryCodes)
      .values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })))
      .run();
    return codes;
  }

  function useRecoveryCode(ctx: Ctx, userId: number, raw: unknown): boolean {
    if (typeof raw !== 'string' || normaliseRecoveryCode(raw).length !== 10) return false;
    const tx = ctx.tx ?? db;
    return (
      tx
        .update(recoveryCodes)
        .set({ usedAt: ctx.clock.now() })
        .where(
          and(
            eq(recoveryCodes.userId, userId),
            eq(recoveryCodes.codeHash, hashRecoveryCode(raw)),
            isNull(recoveryCodes.usedAt),
          ),
        )
        .run().changes === 1
    );
  }

  const required = (role: Role) =>
    (role === 'admin' && deps.settings.get('requireTotpForAdmins')) ||
    (role === 'provider_staff' && deps.settings.get('requireTotpForStaff'));

  /** Tells the owner that two-factor was turned on or off: someone else holding the password would be noticed. */
  const tellOwner = (ctx: Ctx, u: User, on: boolean) =>
    deps.mail().send(ctx.tx ?? db, ctx, {
      userId: u.id,
      to: u.email,
      kind: on ? 'totp_enabled' : 'totp_disabled',
      subject: on ? '你的账户已启用两步验证' : '你的账户已停用两步验证',
      text: on
        ? `${u.displayName}，你好：\n\n你的钱包投诉台账户已启用两步验证，今后登录时需要输入验证器中的验证码。请妥善保存恢复码。\n\n如果这不是你本人的操作，请立即修改密码并联系平台。`
        : `${u.displayName}，你好：\n\n你的钱包投诉台账户已停用两步验证，今后登录只需要密码。\n\n如果这不是你本人的操作，请立即修改密码、重新启用两步验证，并联系平台。`,
      key: `${ctx.clock.now()}-${randomBytes(4).toString('hex')}`,
    });

  const otpauthUrl = (u: User, secret: string) => generateURI({ issuer: ISSUER, label: u.email, secret });

  return {
    /** Whether the site requires two-factor for accounts of this role. */
    required,

    status(ctx: Ctx, userId: number) {
      const u = userRow(ctx, userId);
      const left = (ctx.tx ?? db)
        .select({ id: recoveryCodes.id })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
        .all().length;
      return {
        enabled: u.totpSecret !== null,
        pending: u.totpSecret === null && u.totpPendingSecret !== null,
        required: Boolean(required(u.role)),
        recoveryCodesLeft: u.totpSecret !== null ? left : 0,
      };
    },

    /** The pending secret with its otpauth URL and QR code (SVG from the qrcode library, nothing else in it). */
    async pendingSetup(ctx: Ctx, userId: number) {
      const u = userRow(ctx, userId);
      if (!u.totpPendingSecret || u.totpSecret) return null;
      const url = otpauthUrl(u, u.totpPendingSecret);
      const qrSvg = await QRCode.toString(url, { type: 'svg', margin: 2, width: 200, errorCorrectionLevel: 'M' });
      return { secret: u.totpPendingSecret, otpauthUrl: url, qrSvg };
    },

    /** Starts (or restarts) enrolment: a new pending secret; the one in use, if any, must be disabled first. */
    async setup(ctx: Ctx, userId: number) {
      const u = userRow(ctx, userId);
      if (u.totpSecret) throw new Conflict('两步验证已启用；如需更换验证器，请先停用再重新设置', 'TOTP_ENABLED');
      (ctx.tx ?? db)
        .update(users)
        .set({ totpPendingSecret: generateSecret(), updatedAt: ctx.clock.now() })
        .where(eq(users.id, userId))
        .run();
      return (await this.pendingSetup(ctx, userId))!;
    },

    /** Proves the app holds the pending secret: two-factor is on and the recovery codes are answered (only now). */
    confirm(ctx: Ctx, userId: number, code: unknown): string[] {
      const u = userRow(ctx, userId);
      if (u.totpSecret) throw new Conflict('两步验证已启用', 'TOTP_ENABLED');
      if (!u.totpPendingSecret) throw new Conflict('请先开始设置两步验证', 'TOTP_NOT_STARTED');
      requireCode(ctx, userId, u.totpPendingSecret, code);
      return db.transaction((tx) => {
        const t = { ...ctx, tx };
        tx.update(users)
          .set({ totpSecret: u.totpPendingSecret, totpPendingSecret: null, updatedAt: ctx.clock.now() })
          .where(eq(users.id, userId))
          .run();
        tellOwner(t, u, true);
        return replaceRecoveryCodes(t, userId);
      });
    },

    /** New recovery codes (the old ones stop working), for whoever has the app at hand. */
    regenerateRecoveryCodes(ctx: Ctx, userId: number, code: unknown): string[] {
      const u = userRow(ctx, userId);
      if (!u.totpSecret) throw new Conflict('尚未启用两步验证', 'TOTP_NOT_ENABLED');
      requireCode(ctx, userId, u.totpSecret, code);
      return replaceRecoveryCodes(ctx, userId);
    },

    /** Turns two-factor off with the password and a current code; refused where the site requires it. */
    async disable(ctx: Ctx, userId: number, password: unknown, code: unknown): Promise<void> {
      const u = userRow(ctx, userId);
      if (!u.totpSecret) throw new Conflict('尚未启用两步验证', 'TOTP_NOT_ENABLED');
      if (required(u.role)) throw new Forbidden('平台要求你的账户启用两步验证，不能停用', 'TOTP_REQUIRED');
      if (typeof password !== 'string' || !password) throw new Invalid({ password: '请填写密码' });
      if (!(await verifyPassword(password, u.passwordHash)))
        throw new Invalid({ password: '密码不正确' }, 'BAD_PASSWORD');
      requireCode(ctx, userId, u.totpSecret, code);
      db.transaction((tx) => {
        tx.update(users)
          .set({ totpSecret: null, totpPendingSecret: null, updatedAt: ctx.clock.now() })
          .where(eq(users.id, userId))
          .run();
        tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
        tellOwner({ ...ctx, tx }, u, false);
      });
    },

    /** After the password: a token for the second step, valid five minutes. */
    challenge(ctx: Ctx, userId: number): string {
      return deps.tokens.issue(ctx, userId, 'mfa_login', MFA_TOKEN_TTL_MS);
    },

    /**
     * The second step: a current code or an unused recovery code (which is then spent). Answers the account to start
     * a session for. A dead token is 400 TOKEN_INVALID on `tokenField`; a wrong code 400 BAD_CODE, and the token dies
     * after MFA_MAX_MISSES of them.
     */
    finish(ctx: Ctx, token: unknown, step: SecondStep, tokenField = 'token'): User {
      const dead = () => new Invalid({ [tokenField]: '登录验证已失效，请重新输入邮箱和密码登录' }, 'TOKEN_INVALID');
      const userId = deps.tokens.peek(ctx, token, 'mfa_login');
      if (userId === null) throw dead();
      const u = userRow(ctx, userId);
      if (u.disabledAt !== null) throw new Unauthorized('该账户已被停用，如有疑问请联系平台', 'ACCOUNT_DISABLED');
      const useRecovery = typeof step.recoveryCode === 'string' && step.recoveryCode.trim() !== '';
      const field = useRecovery ? 'recoveryCode' : 'code';
      if (!useRecovery && (typeof step.code !== 'string' || !step.code.trim()))
        throw new Invalid({ code: '请填写验证器中的 6 位验证码' });
      // Two-factor turned off since the password step: nothing more to prove.
      const ok =
        u.totpSecret === null ||
        (useRecovery
          ? useRecoveryCode(ctx, userId, step.recoveryCode)
          : acceptCode(ctx, userId, u.totpSecret, step.code));
      const key = hashToken(token as string);
      if (!ok) {
        const now = ctx.clock.now();
        for (const [k, m] of misses) if (m.until <= now) misses.delete(k);
        const n = (misses.get(key)?.n ?? 0) + 1;
        misses.set(key, { n, until: now + MFA_TOKEN_TTL_MS });
        if (n >= MFA_MAX_MISSES) {
          deps.tokens.consume(ctx, token, 'mfa_login', tokenField);
          misses.delete(key);
          throw new Invalid({ [field]: '验证码错误次数过多，请重新输入邮箱和密码登录' }, 'TOKEN_INVALID');
        }
        throw new Invalid(
          {
            [field]: useRecovery ? '恢复码不正确或已使用过' : '验证码不正确或已使用过，请输入验证器当前显示的 6 位数字',
          },
          'BAD_CODE',
        );
      }
      deps.tokens.consume(ctx, token, 'mfa_login', tokenField);
      misses.delete(key);
      return u;
    },
  };
}

export type TotpService = ReturnType<typeof totpService>;
