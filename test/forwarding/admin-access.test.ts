// Deliveries and calls are the platform's: staff and consumers get 404 on every page and API, and retry needs CSRF.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, consumer, staff } from '../helpers/factories.ts';
import { forwarded, HOUR, providerWith } from './setup.ts';
import { webhookReceiver } from './receivers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp({ outbox: { ...testConfig().outbox, maxAttempts: 3 } });
});
afterEach(async () => {
  await t.close();
});

describe('admin deliveries', () => {
  it('dead-letters after the last attempt; the admin sees it with its last error and retries it to delivery', async () => {
    const rx = await webhookReceiver({ secret: 'whsec_0123456789abcdef', now: () => t.clock.now() });
    rx.behaviour = (n) => (n <= 3 ? '503' : 'ok');
    try {
      const p = await providerWith(t.app, { webhook: { url: rx.url, secret: 'whsec_0123456789abcdef' } });
      const { complaint } = await forwarded(t.app, p.slug);
      await t.app.outbox.drain();
      for (let i = 0; i < 5; i++) {
        t.clock.advance(HOUR);
        await t.app.outbox.drain();
      }
      expect(rx.requests).toHaveLength(3); // max 3 attempts, then no more

      const a = await admin(t.app);
      const dead = (await a.get('/api/v1/admin/deliveries?status=dead')).json();
      expect(dead.counts.dead).toBe(1);
      expect(dead.items[0]).toMatchObject({
        complaintId: complaint.id,
        channel: 'webhook',
        attempts: 3,
        maxAttempts: 3,
        lastError: 'HTTP 503 unavailable',
        canRetry: true,
      });
      const page = await a.get('/admin/deliveries?status=dead');
      expect(page.body).toContain('HTTP 503 unavailable');
      expect(page.body).toContain('<span class="badge outbox-dead">已放弃（死信）</span>');
      expect(page.body).toContain(`action="/admin/deliveries/${dead.items[0].id}/retry"`);

      // Retry without the CSRF token is refused; with it, the delivery goes back to pending and is delivered.
      expect(
        (await a.post(`/api/v1/admin/deliveries/${dead.items[0].id}/retry`, undefined, { csrf: false })).statusCode,
      ).toBe(403);
      const retried = await a.form(`/admin/deliveries/${dead.items[0].id}/retry`, {});
      expect(retried.statusCode).toBe(303);
      expect((await a.get(`/api/v1/admin/deliveries/${dead.items[0].id}`)).json()).toMatchObject({ status: 'pending' });
      await t.app.outbox.drain();
      const done = (await a.get(`/api/v1/admin/deliveries/${dead.items[0].id}`)).json();
      expect(done).toMatchObject({ status: 'done', attemptCount: 4 });
      expect([...rx.processed.values()]).toEqual([1]);
      // Retrying what is not dead is a conflict naming the current state.
      const again = await a.post(`/api/v1/admin/deliveries/${dead.items[0].id}/retry`);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain('当前状态为「已完成」');
      const bodies = (await a.get(`/api/v1/complaints/${complaint.id}`))
        .json()
        .timeline.map((e: { body: string }) => e.body);
      expect(bodies).toContain(`转交 ${p.name}（Webhook 推送）未成功：已尝试 3 次，平台将人工跟进`);
      expect(bodies).toContain(`已转交 ${p.name}（Webhook 推送）`);
    } finally {
      await rx.close();
    }
  });

  it('staff, consumers and anonymous visitors cannot reach deliveries, calls or provider editing', async () => {
    const { complaint, consumer: owner } = await forwarded(t.app, 'alipay');
    await t.app.outbox.drain();
    const id = t.app.sqlite.prepare("SELECT id FROM outbox WHERE channel = 'hotline'").pluck().get() as number;
    for (const who of [await staff(t.app, 'alipay'), await consumer(t.app)]) {
      for (const url of ['/admin/deliveries', '/admin/calls', '/admin/providers/alipay/edit']) {
        expect((await who.get(url, { accept: 'text/html' })).statusCode).toBe(404);
      }
      for (const url of ['/api/v1/admin/deliveries', `/api/v1/admin/deliveries/${id}`, '/api/v1/admin/calls'])
        expect((await who.get(url)).statusCode).toBe(404);
      expect((await who.post(`/api/v1/admin/deliveries/${id}/retry`)).statusCode).toBe(404);
      expect((await who.post(`/api/v1/admin/calls/${id}/outcome`, { outcome: 'reached' })).statusCode).toBe(404);
      expect((await who.form(`/admin/calls/${id}/outcome`, { outcome: 'reached' })).statusCode).toBe(404);
      expect((await who.form('/admin/providers/alipay/edit', { name: 'x' })).statusCode).toBe(404);
    }
    const anon = new Client(t.app);
    expect((await anon.get('/admin/calls', { accept: 'text/html' })).statusCode).toBe(303);
    expect((await anon.get('/api/v1/admin/deliveries')).statusCode).toBe(401);
    // The consumer sees the deliveries but never their internal errors.
    t.app.sqlite.prepare("UPDATE outbox SET last_error = 'HTTP 503 at https://internal.example' WHERE id = ?").run(id);
    const own = (await owner.get(`/api/v1/complaints/${complaint.id}`)).json();
    expect(own.deliveries.map((d: { channel: string; lastError: unknown }) => [d.channel, d.lastError])).toEqual([
      ['portal', null],
      ['hotline', null],
    ]);
    const asAdmin = (await (await admin(t.app)).get(`/api/v1/complaints/${complaint.id}`)).json();
    expect(asAdmin.deliveries[1].lastError).toBe('HTTP 503 at https://internal.example');
  });
});
