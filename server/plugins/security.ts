// External plugin: security headers and rate limits (login, registration and submission carry their own limits).
import fp from 'fastify-plugin';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';

export default fp<{ rateLimits: boolean; cookieSecure: boolean }>(
  async (app, opts) => {
    // helmet's middleware built once: @fastify/helmet rebuilt it (and re-parsed the CSP) on every request.
    const headers = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          upgradeInsecureRequests: opts.cookieSecure ? [] : null,
        },
      },
      hsts: opts.cookieSecure,
    });
    app.addHook('onRequest', (req, reply, done) => {
      headers(req.raw, reply.raw, done as (err?: unknown) => void);
    });
    if (opts.rateLimits) {
      await app.register(rateLimit, {
        global: false,
        errorResponseBuilder: (_req, ctx) => ({
          statusCode: 429,
          code: 'RATE_LIMITED',
          message: `操作过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`,
        }),
      });
    }
  },
  { name: 'security' },
);
