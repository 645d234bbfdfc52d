// External plugin: slow and stuck clients. Node's HTTP timeouts bound each phase of a request; a cap on open sockets
// per peer address stops one machine from holding hundreds of slow connections; on close, connections still open
// after the grace period (a stalled upload, a slow-loris) are destroyed so shutdown finishes.
import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { trustedPeer, type TrustProxy } from '../lib/trust-proxy.ts';
import { wantsHtml } from './errors.ts';

type HttpLimits = Config['http'];

/** Fastify options for the timeouts (the server is created inside Fastify(), so they must be given there). */
export function serverTimeouts(o: HttpLimits) {
  return {
    connectionTimeout: o.idleTimeoutMs, // no byte either way for this long: the socket is closed
    keepAliveTimeout: o.keepAliveTimeoutMs,
    requestTimeout: o.requestTimeoutMs, // whole request, headers and body, from its first byte
    http: {
      headersTimeout: o.headersTimeoutMs,
      requestTimeout: o.requestTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default), so a 10 s headers timeout could let a
      // slow-loris linger 40 s. Walking the connection list is cheap.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(o.headersTimeoutMs / 4))),
    },
  };
}

/** How long a refused socket may stay open to receive its 503 before it is closed anyway. */
const REFUSED_LINGER_MS = 2000;
const REFUSED = { code: 'TOO_MANY_CONNECTIONS', message: '来自您的网络地址的连接过多，请关闭部分页面或稍后重试' };

export default fp<HttpLimits & { trustProxy: TrustProxy }>(
  async (app, opts) => {
    const open = new Map<string, number>();
    const refused = new WeakSet<Socket>();
    const exempt = trustedPeer(opts.trustProxy);
    const cap = opts.maxConnectionsPerIp;

    if (cap > 0) {
      app.server.on('connection', (socket: Socket) => {
        const address = socket.remoteAddress ?? '';
        if (exempt(address)) return;
        const n = open.get(address) ?? 0;
        if (n >= cap) {
          // Answered in the onRequest hook below, before any handler or body parser runs: destroying the socket here
          // would tell an honest browser behind a shared address nothing.
          refused.add(socket);
          socket.setTimeout(REFUSED_LINGER_MS, () => socket.destroy());
          return;
        }
        open.set(address, n + 1);
        socket.once('close', () => {
          const left = (open.get(address) ?? 1) - 1;
          if (left > 0) open.set(address, left);
          else open.delete(address);
        });
      });
      app.addHook('onRequest', (req, reply, done) => {
        if (!refused.has(req.raw.socket)) return done();
        reply.code(503).header('Retry-After', '10').header('Connection', 'close');
        if (wantsHtml(req)) {
          reply
            .type('text/html; charset=utf-8')
            .send(`<!doctype html><meta charset="utf-8"><title>连接过多</title><p>${REFUSED.message}。</p>`);
        } else reply.send({ error: REFUSED });
      });
    }

    // Fastify's close waits for every open request; a client that stalls mid-upload would hold it forever.
    let deadline: NodeJS.Timeout | undefined;
    app.addHook('preClose', (done) => {
      deadline = setTimeout(() => {
        app.log.warn('shutdown grace period over: closing the connections still open');
        app.server.closeAllConnections();
      }, opts.shutdownGraceMs);
      deadline.unref();
      done();
    });
    app.addHook('onClose', (_app, done) => {
      clearTimeout(deadline);
      done();
    });
  },
  { name: 'connections' },
);
