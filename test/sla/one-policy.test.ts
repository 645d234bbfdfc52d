// One deadline policy, end to end: a category override of 12 h / 36 h is what the provider's e-mail (real SMTP),
// the webhook payload (real HTTP receiver), the consumer's notification and page, the public case, the merchant inbox
// and the scorecard explanation say; without overrides the config's hours (24/48 by default, or as set) are said.
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { admin, consumer, fileComplaint, staff } from '../helpers/factories.ts';
import {
  mailText,
  smtpReceiver,
  webhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../forwarding/receivers.ts';
import { providerWith } from '../forwarding/setup.ts';

const SECRET = 'whsec_0123456789abcdef';
const H = 3600_000;
const OVERRIDE = { 'unauthorized-debit': { firstResponseHours: 12, resolutionHours: 36 } };
const LITERAL = /(?<!\d)(24|48) ?小时/;

let t: TestApp;
let smtp: SmtpReceiver | null = null;
let rx: WebhookReceiver | null = null;
afterEach(async () => {
  await t.close();
  await smtp?.close();
  await rx?.close();
  smtp = null;
  rx = null;
});

/** A provider with webhook and e-mail, its staff, and a public complaint of `category` approved at T0. */
async function approvedComplaint(config: Partial<Config>, category: string) {
  smtp = await smtpReceiver();
  t = await makeApp({ smtpUrl: smtp.url, ...config });
  rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
  const p = await providerWith(t.app, {
    webhook: { url: rx.url, secret: SECRET },
    email: { to: 'complaints@test-pay.example' },
    hotline: '95555',
  });
  const agent = await staff(t.app, p.slug, p.admin);
  const c = await consumer(t.app);
  const filed = await fileComplaint(c, { provider: p.slug, category, consent: 'public' });
  const approved = await p.admin.post(`/api/v1/complaints/${filed.id}/events`, { type: 'approve' });
  expect(approved.statusCode).toBe(200);
  await t.app.outbox.drain();
  // Complaint mail only: the verification link mailed at registration states no deadline.
  const mailTo = (address: string) =>
    smtp!.messages
      .filter((m) => m.to.includes(address))
      .map((m) => mailText(m.raw))
      .filter((text) => !text.includes('/verify-email?token='));
  return { p, agent, c, filed, mailTo };
}

describe('a category override (12 h / 36 h)', () => {
  it('is what every mail, payload and page about the complaint says, with its stored due times', async () => {
    const { p, agent, c, filed, mailTo } = await approvedComplaint({ slaOverrides: OVERRIDE }, 'unauthorized-debit');

    // The stored due times come from the policy with the override.
    const view = (await c.get(`/api/v1/complaints/${filed.id}`)).json();
    expect(view.deadlines).toMatchObject({
      firstResponseDueAt: new Date(T0 + 12 * H).toISOString(),
      resolutionDueAt: new Date(T0 + 36 * H).toISOString(),
      firstResponseHours: 12,
      resolutionHours: 36,
    });

    // Webhook payload: existing fields kept, the due times and their hours added.
    expect(rx!.requests).toHaveLength(1);
    const payload = JSON.parse(rx!.requests[0]!.rawBody);
    expect(payload).toMatchObject({
      event: 'complaint.forwarded',
      id: filed.id,
      reference: filed.reference,
      forwardedAt: new Date(T0).toISOString(),
      firstResponseDueAt: new Date(T0 + 12 * H).toISOString(),
      resolutionDueAt: new Date(T0 + 36 * H).toISOString(),
      firstResponseHours: 12,
      resolutionHours: 36,
    });

    // The provider's complaints address (forwarding e-mail) and its staff (new-complaint notice): China time.
    const [forwardingMail] = mailTo('complaints@test-pay.example');
    expect(forwardingMail).toContain('2026-11-02 22:00 前首次回复（转交后 12 小时内）');
    expect(forwardingMail).toContain('2026-11-03 22:00 前提出解决方案（转交后 36 小时内）');
    expect(forwardingMail).not.toMatch(LITERAL);
    const staffMails = mailTo(agent.email);
    expect(staffMails.some((m) => m.includes('转交后 12 小时内'))).toBe(true);
    for (const m of staffMails) expect(m).not.toMatch(LITERAL);

    // The consumer's lifecycle notification and page.
    const consumerMails = mailTo(c.email);
    expect(consumerMails).toHaveLength(1);
    expect(consumerMails[0]).toContain(
      '机构需在北京时间 2026-11-02 22:00 前首次回复（转交后 12 小时内），2026-11-03 22:00 前提出解决方案（转交后 36 小时内）',
    );
    expect(consumerMails[0]).not.toMatch(LITERAL);
    const page = (await c.get(`/complaints/${filed.id}`)).body;
    expect(page).toContain('2026-11-02 22:00</time> 前（转交后 12 小时内）');
    expect(page).toContain('2026-11-03 22:00</time> 前（转交后 36 小时内');
    expect(page).not.toMatch(LITERAL);

    // The public case reads the stored due times.
    const pub = (await c.get(`/api/v1/cases/${filed.id}`)).json();
    expect(pub.deadlines).toMatchObject({
      firstResponseDue: '2026-11-02',
      resolutionDue: '2026-11-03',
      firstResponseHours: 12,
      resolutionHours: 36,
    });
    const pubPage = (await c.get(`/cases/${filed.id}`)).body;
    expect(pubPage).toContain('（转交后 12 小时内）');
    expect(pubPage).toContain('（转交后 36 小时内）');
    expect(pubPage).not.toMatch(LITERAL);

    // The merchant inbox: the row's stored due time, and the rule naming the override.
    const inbox = (await agent.get('/merchant')).body;
    expect(inbox).toContain(`datetime="${new Date(T0 + 12 * H).toISOString()}">2026-11-02 22:00</time>`);
    expect(inbox).toContain('盗刷/未授权扣款：12 小时内首次回复、36 小时内提出解决方案');

    // The scorecard's explanation names the override's hours.
    const card = (await c.get(`/api/v1/providers/${p.slug}/scorecard`)).json();
    expect(card.definitions.onTimeFirstResponseRate).toContain('盗刷/未授权扣款类投诉 12 小时内');
  });

  it('the operator call script quotes the due times too', async () => {
    t = await makeApp({ slaOverrides: OVERRIDE });
    const c = await consumer(t.app);
    const a = await admin(t.app);
    const filed = await fileComplaint(c, { provider: 'alipay', category: 'unauthorized-debit' }); // alipay: hotline only
    expect((await a.post(`/api/v1/complaints/${filed.id}/events`, { type: 'approve' })).statusCode).toBe(200);
    await t.app.outbox.drain();
    const [call] = (await a.get('/api/v1/admin/calls')).json().items;
    expect(call.script).toContain(
      '2026-11-02 22:00 前首次回复（转交后 12 小时内），2026-11-03 22:00 前提出解决方案（转交后 36 小时内）',
    );
  });

  it('a reopened complaint is told its fresh due times, from the same policy', async () => {
    const { agent, c, filed } = await approvedComplaint({ slaOverrides: OVERRIDE }, 'unauthorized-debit');
    expect(
      (await agent.post(`/api/v1/complaints/${filed.id}/events`, { type: 'propose_resolution', body: '已退款。' }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await c.post(`/api/v1/complaints/${filed.id}/events`, {
          type: 'confirm',
          rating: { attitude: 4, speed: 4, satisfaction: 4 },
        })
      ).statusCode,
    ).toBe(200);
    t.clock.advance(48 * H);
    expect(
      (
        await c.post(`/api/v1/complaints/${filed.id}/events`, {
          type: 'reopen',
          reason: '退款又被扣回了，问题没有解决。',
        })
      ).statusCode,
    ).toBe(200);
    await t.app.outbox.drain();
    const reopened = smtp!.messages.map((m) => mailText(m.raw)).filter((m) => m.includes('时限重新计算'));
    expect(reopened.length).toBeGreaterThan(0);
    // T0 + 48 h + 12 h = 2026-11-04 22:00 China time.
    for (const m of reopened) expect(m).toContain('2026-11-04 22:00 前首次回复（转交后 12 小时内）');
  });
});

describe('without an override', () => {
  it('says the config defaults, 24 h / 48 h unless set', async () => {
    const { c, mailTo } = await approvedComplaint({}, 'refund-pending');
    expect(JSON.parse(rx!.requests[0]!.rawBody)).toMatchObject({ firstResponseHours: 24, resolutionHours: 48 });
    expect(mailTo('complaints@test-pay.example')[0]).toContain(
      '2026-11-03 10:00 前首次回复（转交后 24 小时内），2026-11-04 10:00 前提出解决方案（转交后 48 小时内）',
    );
    expect((await c.get('/')).body).toContain('24 小时内首次回复、48 小时内提出解决方案');
    expect((await c.get('/complaints/new')).body).toContain(
      '按平台规则，机构需在 24 小时内首次回复、48 小时内提出解决方案',
    );
  });

  it('says other hours when config sets them, everywhere, and never 24/48', async () => {
    const { p, agent, c, filed, mailTo } = await approvedComplaint(
      { slaDefaults: { firstResponseHours: 8, resolutionHours: 30 } },
      'refund-pending',
    );
    expect(JSON.parse(rx!.requests[0]!.rawBody)).toMatchObject({
      firstResponseDueAt: new Date(T0 + 8 * H).toISOString(),
      firstResponseHours: 8,
      resolutionHours: 30,
    });
    const texts = [
      ...mailTo('complaints@test-pay.example'),
      ...mailTo(c.email),
      ...mailTo(agent.email),
      (await c.get('/')).body,
      (await c.get('/complaints/new')).body,
      (await c.get(`/complaints/${filed.id}`)).body,
      (await c.get(`/cases/${filed.id}`)).body,
      (await agent.get('/merchant')).body,
      JSON.stringify((await c.get(`/api/v1/providers/${p.slug}/scorecard`)).json().definitions),
    ];
    for (const text of texts) {
      expect(text).toMatch(/(?<!\d)(8|30) 小时/);
      expect(text).not.toMatch(LITERAL);
    }
    expect(texts[0]).toContain('2026-11-02 18:00 前首次回复（转交后 8 小时内）');
  });
});
