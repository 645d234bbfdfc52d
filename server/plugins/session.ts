// External plugin: cookies, the signed session cookie, and CSRF tokens bound to a signed secret cookie. Who a session
// belongs to is the accounts module's business: it reads req.sessionId() and sets req.actor (accounts/plugin.ts).
import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Ctx } from '../lib/ctx.ts';

export const SESSION_COOKIE = 'sid';
export const CSRF_COOKIE = '_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the accounts module from the session cookie; null for an anonymous visitor. */
    actor: Actor | null;
    ctx(): Ctx;
    /** The session id from a validly signed cookie, or null. */
    sessionId(): string | null;
  }
  interface FastifyReply {
    setSession(id: string): void;
    clearSession(): void;
    /** A new CSRF secret cookie (at login): tokens issued before no longer verify. */
    rotateCsrfSecret(): void;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function tokenFrom(req: FastifyRequest): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  // A multipart body is not read before this check, so its forms carry the token in the action's query instead.
  if (req.isMultipart()) {
    const q = (req.query as Record<string, unknown> | undefined)?._csrf;
    return typeof q === 'string' ? q : undefined;
  }
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof field === 'string' ? field : undefined;
}

export default fp<{ secret: string; secure: boolean; maxAgeMs: number }>(
  async (app, opts) => {
    await app.register(cookie, { secret: opts.secret });
    const csrfCookie = { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: opts.secure } as const;
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: CSRF_COOKIE,
      cookieOpts: csrfCookie,
      getToken: tokenFrom,
    });
    // The same shape of secret as @fastify/csrf makes (18 random bytes).
    app.decorateReply('rotateCsrfSecret', function (this: FastifyReply) {
      this.setCookie(CSRF_COOKIE, randomBytes(18).toString('base64url'), csrfCookie);
    });

    app.decorateRequest('actor', null);
    app.decorateRequest('ctx', function (this: FastifyRequest): Ctx {
      return { actor: this.actor, clock: app.clock };
    });
    app.decorateReply('setSession', function (this: FastifyReply, id: string) {
      this.setCookie(SESSION_COOKIE, id, {
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secure,
        path: '/',
        signed: true,
        maxAge: opts.maxAgeMs / 1000,
      });
    });
    app.decorateReply('clearSession', function (this: FastifyReply) {
      this.clearCookie(SESSION_COOKIE, { path: '/' });
    });

    app.decorateRequest('sessionId', function (this: FastifyRequest): string | null {
      const raw = this.cookies[SESSION_COOKIE];
      if (!raw) return null;
      const unsigned = this.unsignCookie(raw);
      return unsigned.valid && unsigned.value ? unsigned.value : null;
    });

    // Every state change carries a token tied to the secret cookie: header X-CSRF-Token, or the form field _csrf.
    app.addHook('preHandler', (req, reply, done) => {
      if (!UNSAFE.has(req.method) || req.routeOptions.config?.csrf === false) return done();
      app.csrfProtection(req, reply, done as () => void);
    });
  },
  { name: 'session', dependencies: ['clock'] },
);

declare module 'fastify' {
  interface FastifyContextConfig {
    csrf?: boolean;
  }
}
