// Small route helpers shared by every module's routes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './ctx.ts';
import type { Role } from '../modules/accounts/schema.ts';
import { AppError, Busy, Invalid, NotFound, TooMany, Unauthorized } from './errors.ts';
import { STORAGE_MESSAGE, STORAGE_RETRY_AFTER_S, storageFailureCode } from '../db/storage-health.ts';

export const body = (req: FastifyRequest): Record<string, unknown> =>
  req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};

/** API guard: not logged in is 401; the wrong role is 404, so a resource's existence is not revealed. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Actor {
  if (!req.actor) throw new Unauthorized();
  if (roles.length && !roles.includes(req.actor.role)) throw new NotFound();
  return req.actor;
}

/** Page guard: not logged in goes to the login page and comes back afterwards. */
export function pageActor(req: FastifyRequest, reply: FastifyReply, ...roles: Role[]): Actor | null {
  if (!req.actor) {
    const login = roles.length === 1 && roles[0] === 'provider_staff' ? '/merchant/login' : '/login';
    void reply.redirect(`${login}?next=${encodeURIComponent(req.url)}`, 303);
    return null;
  }
  if (roles.length && !roles.includes(req.actor.role)) throw new NotFound('找不到这个页面');
  return req.actor;
}

export function idParam(req: FastifyRequest, name = 'id'): number {
  const raw = (req.params as Record<string, string>)[name] ?? '';
  return /^\d{1,15}$/.test(raw) ? Number(raw) : -1;
}

/** An upload refused for its size, its count or the server's load: a form shows it beside the file field. */
export function uploadRefusal(err: unknown, reply: FastifyReply): AppError | null {
  if (!(err instanceof AppError) || err.field !== 'attachments' || ![411, 413, 503].includes(err.statusCode))
    return null;
  if (err instanceof Busy) void reply.header('Retry-After', String(err.retryAfterSeconds));
  return err;
}

/**
 * Runs a form action; on bad input, re-renders the form with each message beside its field and the values kept.
 * `view` may be a function: the values are known only once the action has read the submission. A full or read-only
 * disk re-renders it too (503, Retry-After), so what the person typed is not lost with the write.
 */
export async function formAction<T>(
  reply: FastifyReply,
  template: string,
  view: Record<string, unknown> | (() => Record<string, unknown>),
  action: () => Promise<T> | T,
): Promise<T | undefined> {
  try {
    // A form route declares its body schema with attachValidation: what the schema refused is shown like any Invalid.
    const refused = reply.request.validationError;
    if (refused) throw refused;
    return await action();
  } catch (err) {
    const v = typeof view === 'function' ? view() : view;
    if (err instanceof Invalid) {
      await reply.page(template, { ...v, errors: err.errors, errorSummary: Object.values(err.errors) }, 400);
      return undefined;
    }
    const refused = uploadRefusal(err, reply);
    if (refused) {
      await reply.page(
        template,
        { ...v, errors: { attachments: refused.message }, errorSummary: [refused.message] },
        refused.statusCode,
      );
      return undefined;
    }
    if (err instanceof Unauthorized && err.code === 'BAD_CREDENTIALS') {
      await reply.page(template, { ...v, errors: { password: err.message }, errorSummary: [err.message] }, 401);
      return undefined;
    }
    // A login refused while its account's backoff runs: said beside the password, with when to try again.
    if (err instanceof TooMany && err.field) {
      reply.header('Retry-After', String(err.retryAfterSeconds));
      await reply.page(template, { ...v, errors: { [err.field]: err.message }, errorSummary: [err.message] }, 429);
      return undefined;
    }
    if (storageFailureCode(err)) {
      reply.server.storage.record(err);
      reply.request.log.error({ err }, 'storage failure');
      reply.header('retry-after', String(STORAGE_RETRY_AFTER_S));
      await reply.page(template, { ...v, errors: {}, errorSummary: [STORAGE_MESSAGE] }, 503);
      return undefined;
    }
    throw err;
  }
}

/**
 * Only paths on this site are followed after login, never another site: parsed with the URL parser (as a browser
 * would), refused when it names another origin (`//evil`, `/\\evil`, `/<TAB>/evil` which browsers strip to `//evil`)
 * or holds control characters. Answers the path, query and fragment as parsed (so what is followed is what was checked).
 */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length > 2000 || !next.startsWith('/')) return fallback;
  // Browsers drop tabs and newlines inside URLs and read a backslash as a slash: refuse them rather than guess.
  if (/[\u0000-\u001f\u007f\\]/.test(next) || next.startsWith('//')) return fallback;
  const base = 'http://x';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  const out = `${url.pathname}${url.search}${url.hash}`;
  return out.startsWith('/') && !out.startsWith('//') ? out : fallback;
}
