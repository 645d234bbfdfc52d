// End to end through the JSON API: file -> admin approves -> the approval's outbox rows reach a real webhook receiver
// and a real SMTP server on loopback; staff are told; a provider reply e-mails the consumer.
import { afterEach, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { fileComplaint, staff } from '../helpers/factories.ts';
import { consumer } from '../helpers/factories.ts';
import { providerWith } from './setup.ts';
import { smtpReceiver, webhookReceiver, type SmtpReceiver, type WebhookReceiver } from './receivers.ts';

const SECRET = 'whsec_0123456789abcdef';
let t: TestApp;
let rx: WebhookReceiver;
let smtp: SmtpReceiver;
afterEach(async () => {
  await t.close();
  await rx.close();
  await smtp.close();
});

/** The text body of a single-part message as nodemailer writes it (base64 or quoted-printable). */
function decode(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (/Content-Transfer-Encoding: base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body
    .replace(/=\r?\n/g, '')
    .replace(/(=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8'));
}

it('approval forwards through webhook and e-mail exactly once, tells staff, and a reply reaches the consumer', async () => {
  smtp = await smtpReceiver();
  t = await makeApp({ smtpUrl: smtp.url });
  rx = await webhookReceiver({ secret: SECRET, now: () => t.clock.now() });
  const p = await providerWith(t.app, {
    webhook: { url: rx.url, secret: SECRET },
    email: { to: 'complaints@test-pay.example' },
    hotline: '95555',
  });
  const agent = await staff(t.app, p.slug, p.admin);
  const c = await consumer(t.app);
  const filed = await fileComplaint(c, { provider: p.slug, contactPhone: '13812345678', shareContact: false });

  // Nothing goes out before approval.
  await t.app.outbox.drain();
  expect(rx.requests).toHaveLength(0);

  const approved = await p.admin.post(`/api/v1/complaints/${filed.id}/events`, { type: 'approve' });
  expect(approved.statusCode).toBe(200);
  expect(approved.json().status).toBe('forwarded');
  await t.app.outbox.drain();

  expect(rx.requests).toHaveLength(1);
  expect(rx.requests[0]!.verdict.ok).toBe(true);
  expect(JSON.parse(rx.requests[0]!.rawBody)).toMatchObject({
    id: filed.id,
    reference: filed.reference,
    consumer: null,
  });
  const byRecipient = new Map(smtp.messages.map((m) => [m.to[0], decode(m.raw)]));
  expect(byRecipient.get('complaints@test-pay.example')).toContain(filed.reference);
  expect(byRecipient.get('complaints@test-pay.example')).not.toContain('13812345678');
  expect(byRecipient.has(agent.email)).toBe(true); // staff: new complaint
  expect(byRecipient.has(c.email)).toBe(true); // consumer: approved and forwarded
  const mailsBefore = smtp.messages.length;

  const view = (await c.get(`/api/v1/complaints/${filed.id}`)).json();
  expect(view.deliveries.map((d: { channel: string; status: string }) => [d.channel, d.status])).toEqual([
    ['portal', 'done'],
    ['webhook', 'done'],
    ['email', 'done'],
  ]);
  expect(
    view.timeline.filter((e: { type: string }) => e.type === 'delivery').map((e: { body: string }) => e.body),
  ).toEqual([
    `已转交 ${p.name}（商家工作台）`,
    `已转交 ${p.name}（Webhook 推送）`,
    `已转交 ${p.name}（邮件 complaints@test-pay.example）`,
  ]);

  // A second approval is a conflict and sends nothing more.
  expect((await p.admin.post(`/api/v1/complaints/${filed.id}/events`, { type: 'approve' })).statusCode).toBe(409);
  const reply = await agent.post(`/api/v1/complaints/${filed.id}/events`, {
    type: 'reply',
    body: '您好，已为您加急处理退款。',
  });
  expect(reply.statusCode).toBe(200);
  await t.app.outbox.drain();
  expect(rx.requests).toHaveLength(1);
  const newMails = smtp.messages.slice(mailsBefore);
  expect(newMails.map((m) => m.to[0])).toEqual([c.email]);
  expect(decode(newMails[0]!.raw)).toContain('已为您加急处理退款');
});
