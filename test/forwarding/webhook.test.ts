// The webhook channel against a real receiver on loopback: retries until it is up, exactly once by idempotency key,
// signed, dead-lettered when refused, and carrying contact details only with consent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { admin } from '../helpers/factories.ts';
import { forwarded, HOUR, providerWith } from './setup.ts';
import { webhookReceiver, type WebhookReceiver } from './receivers.ts';

const SECRET = 'whsec_0123456789abcdef';
let t: TestApp;
let rx: WebhookReceiver;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
  await rx?.close();
});

const webhookRow = (id: number) =>
  t.app.sqlite.prepare("SELECT * FROM outbox WHERE complaint_id = ? AND channel = 'webhook'").get(id) as Record<
    string,
    unknown
  >;
const attemptsOf = (outboxId: unknown) =>
  t.app.sqlite
    .prepare('SELECT attempt, ok, detail FROM outbox_attempts WHERE outbox_id = ? ORDER BY attempt')
    .all(outboxId) as { attempt: number; ok: number; detail: string }[];

describe('webhook delivery', () => {
  it('retries while the receiver is down (refused, then 503 twice) and delivers exactly once on the 4th attempt', async () => {
    rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now(), listen: false });
    rx.behaviour = (n) => (n <= 2 ? '503' : 'ok'); // once it is listening: two 503s, then up
    const p = await providerWith(t.app, { webhook: { url: rx.url, secret: SECRET }, hotline: '95555' });
    const { complaint, plan } = await forwarded(t.app, p.slug);
    expect(plan.channels).toEqual(['portal', 'webhook']);

    await t.app.outbox.drain(); // attempt 1: nothing listening, connection refused
    expect(webhookRow(complaint.id)).toMatchObject({ status: 'pending', attempts: 1 });
    await rx.listen();
    for (let i = 0; i < 3; i++) {
      t.clock.advance(HOUR);
      await t.app.outbox.drain();
    } // attempts 2, 3 (503) and 4 (ok)

    const row = webhookRow(complaint.id);
    expect(row).toMatchObject({ status: 'done', attempts: 4, last_error: null });
    const attempts = attemptsOf(row.id);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(attempts.map((a) => a.ok)).toEqual([0, 0, 0, 1]);
    expect(attempts[0]!.detail).toMatch(/连接失败：ECONNREFUSED/);
    expect(attempts[1]!.detail).toMatch(/^HTTP 503/);
    expect(attempts[3]!.detail).toMatch(/^HTTP 200/);

    // Three requests reached the receiver, all with the same idempotency key; its business logic ran once.
    expect(rx.requests).toHaveLength(3);
    const keys = new Set(rx.requests.map((r) => r.headers['idempotency-key']));
    expect([...keys]).toEqual([row.idempotency_key]);
    expect([...rx.processed.values()]).toEqual([1]);

    // Nothing more is sent once done, however far the clock moves.
    t.clock.advance(10 * HOUR);
    await t.app.outbox.drain();
    expect(rx.requests).toHaveLength(3);

    // The timeline says so, and the complaint JSON lists the delivery.
    const a = await admin(t.app);
    const view = (await a.get(`/api/v1/complaints/${complaint.id}`)).json();
    expect(
      view.timeline.filter((e: { type: string }) => e.type === 'delivery').map((e: { body: string }) => e.body),
    ).toEqual([`已转交 ${p.name}（商家工作台）`, `已转交 ${p.name}（Webhook 推送）`]);
    expect(view.deliveries).toEqual([
      expect.objectContaining({ channel: 'portal', status: 'done', attempts: 1 }),
      expect.objectContaining({
        channel: 'webhook',
        status: 'done',
        attempts: 4,
        lastError: null,
        doneAt: expect.any(String),
      }),
    ]);
  });

  it('a delivery whose response was lost is sent again with the same key and the receiver does not process it twice', async () => {
    rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
    const p = await providerWith(t.app, { webhook: { url: rx.url, secret: SECRET } });
    const { complaint } = await forwarded(t.app, p.slug);
    const row = webhookRow(complaint.id);
    // Simulate a lost 200: the receiver processed it, but the platform recorded nothing and sends again.
    await t.app.outbox.drain();
    t.app.sqlite.prepare("UPDATE outbox SET status = 'pending', next_attempt_at = 0 WHERE id = ?").run(row.id);
    await t.app.outbox.drain();
    expect(rx.requests).toHaveLength(2);
    expect(rx.requests[1]!.verdict).toEqual({ ok: false, reason: 'replayed' });
    expect(rx.requests[1]!.status).toBe(200);
    expect([...rx.processed.values()]).toEqual([1]);
  });

  it('sends a signed JSON payload without contact details when the consumer did not consent', async () => {
    rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
    const p = await providerWith(t.app, { webhook: { url: rx.url, secret: SECRET } });
    const { complaint, consumer } = await forwarded(t.app, p.slug, {
      contactPhone: '13812345678',
      shareContact: false,
    });
    await t.app.outbox.drain();
    expect(rx.requests).toHaveLength(1);
    const req = rx.requests[0]!;
    expect(req.verdict.ok).toBe(true);
    expect(req.headers['x-complaint-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(req.headers['x-complaint-timestamp']).toBe(String(Math.floor(t.clock.now() / 1000)));
    const body = JSON.parse(req.rawBody);
    expect(body).toMatchObject({
      event: 'complaint.forwarded',
      id: complaint.id,
      reference: complaint.reference,
      provider: p.slug,
      category: 'refund-pending',
      amountFen: 56978,
      incidentDate: '2026-11-01',
      transactionRef: '2026110122001234567890',
      demands: ['refund'],
      attachments: { count: 0, links: [] },
      consumer: null,
    });
    expect(req.rawBody).not.toContain('13812345678');
    expect(req.rawBody).not.toContain(consumer.email);
    expect(req.rawBody).not.toContain('张三');
  });

  it('includes the contact details when the consumer consented', async () => {
    rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
    const p = await providerWith(t.app, { webhook: { url: rx.url, secret: SECRET } });
    const { consumer } = await forwarded(t.app, p.slug, { contactPhone: '13812345678', shareContact: true });
    await t.app.outbox.drain();
    expect(JSON.parse(rx.requests[0]!.rawBody).consumer).toEqual({
      name: '张三',
      email: consumer.email,
      phone: '13812345678',
    });
  });

  it('a 4xx refusal is dead at once; 429 is retried', async () => {
    rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
    rx.behaviour = (n) => (n === 1 ? '429' : '400');
    const p = await providerWith(t.app, { webhook: { url: rx.url, secret: SECRET } });
    const { complaint } = await forwarded(t.app, p.slug);
    await t.app.outbox.drain();
    expect(webhookRow(complaint.id)).toMatchObject({ status: 'pending', attempts: 1 });
    t.clock.advance(HOUR);
    await t.app.outbox.drain();
    expect(webhookRow(complaint.id)).toMatchObject({ status: 'dead', attempts: 2, last_error: 'HTTP 400 bad request' });
  });
});

describe('webhook timeout', () => {
  it('a receiver that never answers is cut off at the timeout and retried', async () => {
    await t.close();
    t = await makeApp({ outbox: { ...testConfig().outbox, webhookTimeoutMs: 200 } });
    rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
    rx.behaviour = (n) => (n === 1 ? 'stall' : 'ok');
    const p = await providerWith(t.app, { webhook: { url: rx.url, secret: SECRET } });
    const { complaint } = await forwarded(t.app, p.slug);
    await t.app.outbox.drain();
    const row = webhookRow(complaint.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/^超时/);
    t.clock.advance(HOUR);
    await t.app.outbox.drain();
    expect(webhookRow(complaint.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect([...rx.processed.values()]).toEqual([1]);
  });
});
