// Real receivers on loopback for forwarding tests: a node:http webhook endpoint that verifies signatures with the
// sample verifier and processes each Idempotency-Key once, and an smtp-server that can refuse before accepting.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { MemoryReplayStore, verifyWebhook, type VerifyResult } from '../../server/modules/forwarding/verify-webhook.ts';

export type WebhookBehaviour = 'ok' | '503' | '400' | '429' | 'stall';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  verdict: VerifyResult;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  requests: ReceivedWebhook[];
  /** Idempotency-Key -> times the receiver's business logic ran for it. */
  processed: Map<string, number>;
  /** The n-th request (1-based) gets this behaviour; default 'ok'. */
  behaviour: (n: number) => WebhookBehaviour;
  /** Resolves when a request arrives that is being stalled. */
  stalled: Promise<void>;
  listen(): Promise<void>;
  close(): Promise<void>;
}

/** A free loopback port: listen on 0, note the port, close. Used to point a webhook at a receiver that is not up yet. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function webhookReceiver(opts: {
  secret: string;
  now: () => number;
  port?: number;
  listen?: boolean;
}): Promise<WebhookReceiver> {
  let server: Server | null = null;
  let signalStall: () => void = () => {};
  const store = new MemoryReplayStore();
  const port = opts.port ?? (await freePort());
  const rx: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/complaints/hook`,
    port,
    requests: [],
    processed: new Map(),
    behaviour: () => 'ok',
    stalled: new Promise<void>((r) => {
      signalStall = r;
    }),
    async listen() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const rawBody = Buffer.concat(chunks).toString('utf8');
          const n = rx.requests.length + 1;
          const b = rx.behaviour(n);
          const verdict = verifyWebhook({
            secret: opts.secret,
            headers: req.headers,
            rawBody,
            store,
            nowMs: opts.now(),
          });
          const record: ReceivedWebhook = { headers: req.headers, rawBody, verdict, status: 0 };
          rx.requests.push(record);
          if (b === 'stall') {
            if (verdict.ok) store.delete(verdict.key);
            signalStall();
            return;
          } // never answers, never processes
          if (b !== 'ok') {
            if (verdict.ok) store.delete(verdict.key); // not processed: the retry must be
            record.status = Number(b);
            res.writeHead(record.status).end(b === '400' ? 'bad request' : 'unavailable');
            return;
          }
          if (verdict.ok) rx.processed.set(verdict.key, (rx.processed.get(verdict.key) ?? 0) + 1);
          record.status = verdict.ok || verdict.reason === 'replayed' ? 200 : 401;
          res
            .writeHead(record.status, { 'content-type': 'application/json' })
            .end(JSON.stringify({ received: verdict.ok, duplicate: !verdict.ok && verdict.reason === 'replayed' }));
        });
      });
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    },
    async close() {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((r) => server!.close(() => r()));
      server = null;
    },
  };
  if (opts.listen !== false) await rx.listen();
  return rx;
}

export interface SmtpReceiver {
  url: string;
  messages: { to: string[]; raw: string }[];
  /** Each RCPT TO is refused with this (e.g. 451) while it returns a code. */
  refuse: (n: number) => number | null;
  rcptAttempts: number;
  close(): Promise<void>;
}

export async function smtpReceiver(): Promise<SmtpReceiver> {
  const rx: SmtpReceiver = { url: '', messages: [], refuse: () => null, rcptAttempts: 0, close: async () => {} };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(_address, _session, cb) {
      const code = rx.refuse(++rx.rcptAttempts);
      if (code)
        return cb(
          Object.assign(new Error(`${code === 451 ? 'Try again later' : 'Mailbox unavailable'}`), {
            responseCode: code,
          }),
        );
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        rx.messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rx.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  rx.close = () => new Promise<void>((r) => server.close(() => r()));
  return rx;
}

/** The text body of a single-part message as nodemailer writes it (base64 or quoted-printable). */
export function mailText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (/Content-Transfer-Encoding: base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body
    .replace(/=\r?\n/g, '')
    .replace(/(=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8'));
}
