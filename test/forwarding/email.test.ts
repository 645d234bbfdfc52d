// E-mail deliveries and notifications against a real SMTP server on loopback, and the mail log without SMTP_URL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { admin, staff } from '../helpers/factories.ts';
import { forwarded, HOUR, providerWith } from './setup.ts';
import { smtpReceiver, type SmtpReceiver } from './receivers.ts';

let t: TestApp;
let smtp: SmtpReceiver | null = null;
afterEach(async () => {
  await t.close();
  await smtp?.close();
  smtp = null;
});

const rowsOf = (complaintId: number) =>
  t.app.sqlite
    .prepare('SELECT id, topic, channel, status, attempts, last_error FROM outbox WHERE complaint_id = ? ORDER BY id')
    .all(complaintId) as Record<string, unknown>[];

describe('e-mail', () => {
  it('an SMTP server refusing (451) then accepting gets the complaint exactly once, with the SMTP replies recorded', async () => {
    smtp = await smtpReceiver();
    smtp.refuse = (n) => (n <= 2 ? 451 : null);
    t = await makeApp({ smtpUrl: smtp.url });
    const p = await providerWith(t.app, { email: { to: 'complaints@test-pay.example' } });
    const { complaint, plan } = await forwarded(t.app, p.slug);
    expect(plan.channels).toEqual(['portal', 'email']);

    await t.app.outbox.drain();
    const row = rowsOf(complaint.id).find((r) => r.channel === 'email')!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/451/);
    for (let i = 0; i < 2; i++) {
      t.clock.advance(HOUR);
      await t.app.outbox.drain();
    }

    expect(rowsOf(complaint.id).find((r) => r.channel === 'email')).toMatchObject({ status: 'done', attempts: 3 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['complaints@test-pay.example']);
    const raw = smtp.messages[0]!.raw;
    expect(raw).toMatch(/X-Idempotency-Key: delivery:\d+:email/);
    const attempts = t.app.sqlite
      .prepare('SELECT ok, detail FROM outbox_attempts WHERE outbox_id = ? ORDER BY attempt')
      .all(row.id) as { ok: number; detail: string }[];
    expect(attempts.map((a) => a.ok)).toEqual([0, 0, 1]);
    expect(attempts[0]!.detail).toMatch(/SMTP 451/);
    expect(attempts[2]!.detail).toMatch(/SMTP 250/);

    t.clock.advance(10 * HOUR);
    await t.app.outbox.drain();
    expect(smtp.messages).toHaveLength(1);
    const view = (await (await admin(t.app)).get(`/api/v1/complaints/${complaint.id}`)).json();
    expect(view.timeline.map((e: { body: string | null }) => e.body)).toContain(
      `已转交 ${p.name}（邮件 complaints@test-pay.example）`,
    );
  });

  it('a permanent refusal (550) is dead at once', async () => {
    smtp = await smtpReceiver();
    smtp.refuse = () => 550;
    t = await makeApp({ smtpUrl: smtp.url });
    const p = await providerWith(t.app, { email: { to: 'nobody@test-pay.example' } });
    const { complaint } = await forwarded(t.app, p.slug);
    await t.app.outbox.drain();
    const row = rowsOf(complaint.id).find((r) => r.channel === 'email')!;
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
    const view = (await (await admin(t.app)).get(`/api/v1/complaints/${complaint.id}`)).json();
    expect(view.timeline.map((e: { body: string | null }) => e.body)).toContain(
      `转交 ${p.name}（邮件）未成功：已尝试 1 次，平台将人工跟进`,
    );
  });

  it('without SMTP_URL an e-mail delivery is recorded as not sent: the mail is only in the local log', async () => {
    t = await makeApp({ smtpUrl: null });
    const p = await providerWith(t.app, { email: { to: 'complaints@test-pay.example' } });
    const { complaint } = await forwarded(t.app, p.slug);
    await t.app.outbox.drain();
    const row = rowsOf(complaint.id).find((r) => r.channel === 'email')!;
    // Nothing to retry (no mail server will appear by itself), so the row is finished; its record says what happened.
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
    const attempts = t.app.sqlite.prepare('SELECT detail FROM outbox_attempts WHERE outbox_id = ?').all(row.id) as {
      detail: string;
    }[];
    expect(attempts[0]!.detail).toContain('邮件未发出');
    const bodies = (await (await admin(t.app)).get(`/api/v1/complaints/${complaint.id}`))
      .json()
      .timeline.map((e: { body: string | null }) => e.body);
    expect(bodies).toContain(`未能转交 ${p.name}（邮件）：平台未配置邮件服务器，邮件未发出（仅记录在本地）`);
    expect(bodies.some((b: string | null) => b?.startsWith(`已转交 ${p.name}（邮件`))).toBe(false);
    const events = t.app.sqlite
      .prepare(
        "SELECT json_extract(data, '$.result') AS result FROM complaint_events WHERE complaint_id = ? AND type = 'delivery' AND json_extract(data, '$.channel') = 'email'",
      )
      .all(complaint.id);
    expect(events).toEqual([{ result: 'not_sent' }]);
    const mails = readFileSync(join(t.dataDir, 'mail-outbox.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(mails.map((m) => m.to)).toContain('complaints@test-pay.example');
  });

  it('staff are told of a new complaint; without SMTP_URL the mail goes to DATA_DIR/mail-outbox.log', async () => {
    t = await makeApp();
    const p = await providerWith(t.app, { hotline: '95555' });
    const s1 = await staff(t.app, p.slug, p.admin);
    const s2 = await staff(t.app, p.slug, p.admin);
    const { complaint } = await forwarded(t.app, p.slug);
    // Planning twice (a retried approval) does not notify twice.
    t.app.db.transaction((tx) => t.app.forwarding.planDeliveries(tx, { actor: null, clock: t.clock }, complaint.id));
    await t.app.outbox.drain();
    const mails = readFileSync(join(t.dataDir, 'mail-outbox.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(mails.map((m) => m.to).sort()).toEqual([s1.email, s2.email].sort());
    expect(mails[0].subject).toContain(complaint.reference);
    expect(mails[0].text).toContain(`/merchant/complaints/${complaint.id}`);
  });
});

describe('notify()', () => {
  it('enqueues one row per recipient, once per triggering event, and reaches the consumer', async () => {
    t = await makeApp();
    const p = await providerWith(t.app, { hotline: '95555' });
    await staff(t.app, p.slug, p.admin);
    const { complaint, consumer } = await forwarded(t.app, p.slug);
    const ctx = { actor: null, clock: t.clock };
    const n = {
      complaintId: complaint.id,
      kind: 'provider_reply',
      subject: '机构回复了你的投诉',
      text: '请查看回复。',
    };
    expect(t.app.db.transaction((tx) => t.app.notifications.notify(tx, ctx, { ...n, audience: 'consumer' }))).toBe(1);
    expect(t.app.db.transaction((tx) => t.app.notifications.notify(tx, ctx, { ...n, audience: 'consumer' }))).toBe(0);
    // A rolled-back transaction leaves no mail behind.
    expect(() =>
      t.app.db.transaction((tx) => {
        t.app.notifications.notify(tx, ctx, { ...n, kind: 'other', audience: 'consumer' });
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    await t.app.outbox.drain();
    const mails = readFileSync(join(t.dataDir, 'mail-outbox.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const toConsumer = mails.filter((m) => m.to === consumer.email);
    expect(toConsumer).toHaveLength(1);
    expect(toConsumer[0].text).toContain(`/complaints/${complaint.id}`);
  });
});
