// External plugin: security headers and rate limits (login, registration and submission carry their own limits).
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';

export default fp<{ rateLimits: boolean; cookieSecure: boolean }>(async (app, opts) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"],
        upgradeInsecureRequests: opts.cookieSecure ? [] : null,
      },
    },
    hsts: opts.cookieSecure,
  });
  if (opts.rateLimits) {
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429, code: 'RATE_LIMITED', message: `操作过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`,
      }),
    });
  }
}, { name: 'security' });
