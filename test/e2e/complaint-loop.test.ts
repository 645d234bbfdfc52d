// The whole loop through the JSON API only, with a real webhook receiver (node:http, checking signatures with the
// sample verifier) and a real SMTP server (smtp-server) on loopback; the app runs its own workers, as in production.
// register -> file -> approve -> webhook + e-mail -> reply -> propose -> confirm with rating -> resolved; and a breach
// driven by POST /api/v1/test/clock.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryReplayStore, verifyWebhook, type VerifyResult } from '../../server/modules/forwarding/verify-webhook.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';

const SECRET = 'whsec_e2e_0123456789abcdef';
const ADMIN = { email: 'root@example.com', password: 'admin-password-e2e' };
const HOUR = 3600_000;

interface Hook {
  headers: IncomingHttpHeaders;
  body: string;
  verdict: VerifyResult;
}
interface Mail {
  to: string;
  subject: string;
  text: string;
}

let t: TestApp;
let hooks: Hook[];
let mails: Mail[];
let http: Server;
let smtp: SMTPServer;
let hookUrl: string;

/** Subject and text of a single-part message as nodemailer writes it. */
function decode(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const subject = (head.match(/^Subject: (.*)$/m)?.[1] ?? '').replace(
    /=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi,
    (_m, enc: string, s: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(s, 'base64').toString('utf8')
        : Buffer.from(
            s.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
  );
  const text = /Content-Transfer-Encoding: base64/i.test(head)
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : Buffer.from(
        body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
  return { subject, text };
}

/** Waits for something the workers do on their own (a delivery, a mail): polls, fails after 10 s. */
async function eventually<T>(what: string, probe: () => T | undefined | null | false): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeEach(async () => {
  hooks = [];
  mails = [];
  const store = new MemoryReplayStore();
  http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verdict = verifyWebhook({
        secret: SECRET,
        headers: req.headers,
        rawBody: body,
        store,
        nowMs: t.clock.now(),
      });
      hooks.push({ headers: req.headers, body, verdict });
      res.writeHead(verdict.ok || verdict.reason === 'replayed' ? 200 : 401).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`;
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const m = decode(Buffer.concat(chunks).toString('utf8'));
        for (const r of session.envelope.rcptTo) mails.push({ to: r.address, ...m });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  t = await makeApp({ workers: true, smtpUrl, admin: ADMIN });
});

afterEach(async () => {
  await t.close();
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  await new Promise<void>((r) => smtp.close(() => r()));
});

/** Everyone the loop needs, made through the API: a provider with a webhook and a complaints mailbox, its staff,
 *  an admin and a registered consumer with a filed complaint. */
async function setUp() {
  const admin = new Client(t.app);
  expect((await admin.post('/api/v1/auth/login', ADMIN)).statusCode).toBe(200);
  const provider = await admin.post('/api/v1/admin/providers', {
    slug: 'e2e-pay',
    name: '端到端支付',
    hotline: '95999',
    channels: { webhook: { url: hookUrl, secret: SECRET }, email: { to: 'complaints@e2e-pay.example' } },
  });
  expect(provider.statusCode).toBe(201);
  const staffRes = await admin.post('/api/v1/admin/providers/e2e-pay/staff', {
    email: 'agent@e2e-pay.example',
    password: 'agent-password-1',
    displayName: '客服小李',
  });
  expect(staffRes.statusCode).toBe(201);
  const staff = new Client(t.app);
  expect(
    (await staff.post('/api/v1/auth/login', { email: 'agent@e2e-pay.example', password: 'agent-password-1' }))
      .statusCode,
  ).toBe(200);

  const consumer = new Client(t.app);
  const reg = await consumer.post('/api/v1/auth/register', {
    email: 'wang@example.com',
    password: 'consumer-pass-1',
    displayName: '小王',
  });
  expect(reg.statusCode).toBe(201);
  const filed = await consumer.post('/api/v1/complaints', {
    provider: 'e2e-pay',
    category: 'refund-pending',
    title: '退款十天未到账',
    description: '11月1日申请退款 569.78 元，商家已同意，但一直显示处理中。',
    demands: ['refund'],
    amountFen: 56978,
    consent: 'public',
    contactPhone: '13812345678',
    shareContact: false,
  });
  expect(filed.statusCode).toBe(201);
  expect(filed.json().status).toBe('submitted');
  return { admin, staff, consumer, id: filed.json().id as number, reference: filed.json().reference as string };
}

const event = (c: Client, id: number, body: Record<string, unknown>) => c.post(`/api/v1/complaints/${id}/events`, body);

describe('complaint loop end to end', () => {
  it('file -> approve -> forwarded by webhook and e-mail -> reply -> propose -> confirm -> resolved', async () => {
    const { admin, staff, consumer, id, reference } = await setUp();
    expect((await staff.get(`/api/v1/complaints/${id}`)).statusCode).toBe(404); // not before approval

    const approved = await event(admin, id, { type: 'approve' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().status).toBe('forwarded');

    const hook = await eventually('the webhook', () => hooks[0]);
    expect(hook.verdict).toMatchObject({ ok: true });
    expect(hook.headers['idempotency-key']).toBeTruthy();
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({ id, reference });
    expect(hook.body).not.toContain('13812345678'); // no contact details without consent
    await eventually('the provider mail', () =>
      mails.find((m) => m.to === 'complaints@e2e-pay.example' && m.text.includes(reference)),
    );
    await eventually('the staff notice', () => mails.find((m) => m.to === 'agent@e2e-pay.example'));
    await eventually('the consumer notice', () =>
      mails.find((m) => m.to === 'wang@example.com' && m.subject.includes('已转交')),
    );

    const inbox = (await staff.get('/api/v1/merchant/complaints')).json();
    expect(inbox.items).toEqual([
      expect.objectContaining({
        id,
        deadline: expect.objectContaining({ kind: '首次回复', text: '剩余 24 小时 0 分' }),
      }),
    ]);

    const reply = await event(staff, id, { type: 'reply', body: '您好，已收到您的投诉，正在核实退款进度。' });
    expect(reply.json().status).toBe('in_progress');
    await eventually('the reply mail', () =>
      mails.find((m) => m.to === 'wang@example.com' && m.text.includes('正在核实退款进度')),
    );

    const proposal = await event(staff, id, {
      type: 'propose_resolution',
      body: '已为您原路退回 569.78 元，预计 1 个工作日到账。',
    });
    expect(proposal.json()).toMatchObject({ status: 'awaiting_consumer', deadlines: { resolutionPaused: true } });
    await eventually('the proposal mail', () =>
      mails.find((m) => m.to === 'wang@example.com' && m.text.includes('原路退回')),
    );

    const confirmed = await event(consumer, id, {
      type: 'confirm',
      rating: { attitude: 5, speed: 4, satisfaction: 5 },
      body: '已到账，谢谢。',
    });
    expect(confirmed.statusCode).toBe(200);
    const v = confirmed.json();
    expect(v.status).toBe('resolved');
    expect(
      v.timeline.filter((e: { type: string }) => e.type !== 'delivery').map((e: { type: string }) => e.type),
    ).toEqual(['submitted', 'approve', 'reply', 'propose_resolution', 'confirm']);
    expect(v.timeline.at(-1).data.rating).toEqual({ attitude: 5, speed: 4, satisfaction: 5 });
    expect(v.deadlines).toMatchObject({ overdue: false, firstResponseBreachedAt: null, resolutionBreachedAt: null });
    expect(hooks.filter((h) => h.verdict.ok)).toHaveLength(1); // forwarded once
  });

  it('breach path: the test clock moves 25 hours, the breach is flagged and both sides are told', async () => {
    const { admin, staff, consumer, id } = await setUp();
    expect((await event(admin, id, { type: 'approve' })).statusCode).toBe(200);
    await eventually('the webhook', () => hooks[0]);

    const moved = await new Client(t.app).post('/api/v1/test/clock', { advanceMs: 25 * HOUR });
    expect(moved.statusCode).toBe(200);

    const v = (await consumer.get(`/api/v1/complaints/${id}`)).json();
    expect(v.deadlines.overdue).toBe(true);
    expect(v.deadlines.firstResponseBreachedAt).toBe(v.deadlines.firstResponseDueAt);
    expect(v.timeline.filter((e: { type: string }) => e.type === 'first_response_breached')).toHaveLength(1);
    await eventually('the consumer breach mail', () =>
      mails.find((m) => m.to === 'wang@example.com' && m.text.includes('12378')),
    );
    await eventually('the staff breach mail', () =>
      mails.find((m) => m.to === 'agent@e2e-pay.example' && m.subject.includes('超时')),
    );
    expect((await staff.get('/api/v1/merchant/complaints?overdue=1')).json().items).toEqual([
      expect.objectContaining({ id, overdue: true, deadline: expect.objectContaining({ text: '已超时 1 小时' }) }),
    ]);

    // Moving the clock again does not fire it twice.
    await new Client(t.app).post('/api/v1/test/clock', { advanceMs: HOUR });
    const again = (await consumer.get(`/api/v1/complaints/${id}`)).json();
    expect(again.timeline.filter((e: { type: string }) => e.type === 'first_response_breached')).toHaveLength(1);

    // Late is still better than never: the provider answers, and the flag stays.
    const reply = await event(staff, id, { type: 'reply', body: '抱歉回复晚了，正在处理。' });
    expect(reply.json()).toMatchObject({ status: 'in_progress', deadlines: { overdue: true } });
  });
});
