// The public view builder and its rules: per-case pseudonyms, consent and status decide, only allow-listed events with
// anonymised bodies, overdue flags and deadlines, and the author's preview before submitting.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isPublishable,
  pseudonymFor,
  toPublicCase,
  type PublicCaseSource,
} from '../../server/modules/board/public-case.ts';
import { STATUSES, NEVER_PUBLIC } from '../../server/modules/complaints/states.ts';
import type { Complaint, ComplaintEvent } from '../../server/modules/complaints/schema.ts';
import type { Provider } from '../../server/modules/providers/schema.ts';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { actors, drain, mustAct, publishedCase, staffFor } from '../helpers/lifecycle.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const H = 3600_000;
const complaint = (over: Partial<Complaint> = {}): Complaint =>
  ({
    id: 7,
    reference: 'TS20261102-000007',
    userId: 1,
    providerId: 1,
    category: 'refund-pending',
    title: '退款未到账',
    description: '我叫张三，电话13812345678。',
    demands: ['refund'],
    amountFen: 1000,
    incidentDate: '2026-11-01',
    transactionRef: 'REF-SECRET-123',
    contactPhone: '13900000000',
    shareContact: true,
    consent: 'public',
    status: 'in_progress',
    submissionKey: null,
    createdAt: T0 + 15 * H,
    updatedAt: T0,
    forwardedAt: T0 + 16 * H,
    firstResponseAt: null,
    firstResponseDueAt: null,
    resolutionDueAt: null,
    firstResponseWarnedAt: null,
    resolutionWarnedAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    resolutionPausedAt: null,
    resolutionPausedMs: 0,
    resolvedAt: null,
    closedAt: null,
    autoCloseAt: null,
    nextDeadlineAt: null,
    ...over,
  }) as Complaint;
const provider = {
  id: 1,
  slug: 'alipay',
  name: '支付宝',
  aliases: [],
  hotline: '95188',
  verified: true,
} as unknown as Provider;
let evId = 0;
const ev = (type: string, atHours: number, over: Partial<ComplaintEvent> = {}): ComplaintEvent => ({
  id: ++evId,
  complaintId: 7,
  type,
  actorRole: type === 'reply' || type === 'note' ? 'provider_staff' : 'admin',
  actorId: 1,
  body: null,
  status: null,
  data: null,
  internal: false,
  createdAt: T0 + atHours * H,
  ...over,
});
const source = (c: Complaint, events: ComplaintEvent[]): PublicCaseSource => ({
  complaint: c,
  provider,
  consumer: { realName: '张三', displayName: '小张', email: 'z@example.com', phone: null },
  events,
  attachmentNames: ['合同.pdf'],
  secret: 's'.repeat(64),
});

describe('toPublicCase', () => {
  it('gives each case its own pseudonym, stable for the case and not linkable across cases', () => {
    const a = pseudonymFor('secret-one', 1);
    expect(a).toMatch(/^用户 [0-9A-F]{6}$/);
    expect(pseudonymFor('secret-one', 1)).toBe(a);
    expect(pseudonymFor('secret-one', 2)).not.toBe(a);
    expect(pseudonymFor('secret-two', 1)).not.toBe(a);
  });

  it('derives the pseudonym as HMAC-SHA256 of the case id, for short, block-sized and long keys alike', () => {
    // Pinned to the standard construction: published pseudonyms must not change when the implementation does.
    for (const secret of ['k', 'x'.repeat(64), 'y'.repeat(65), '长密钥'.repeat(40)]) {
      for (const id of [1, 42, 987654]) {
        const mac = createHmac('sha256', secret).update(`public-case-pseudonym:${id}`).digest('hex');
        expect(pseudonymFor(secret, id)).toBe(`用户 ${mac.slice(0, 6).toUpperCase()}`);
      }
    }
  });

  it('is decided by consent and status', () => {
    for (const s of STATUSES) expect(isPublishable(complaint({ status: s })), s).toBe(!NEVER_PUBLIC.includes(s));
    expect(isPublishable(complaint({ consent: 'private' }))).toBe(false);
  });

  it('shows only allow-listed, non-internal events, with anonymised bodies and dates to the day', () => {
    const events = [
      ev('submitted', 15, { actorRole: 'consumer' }),
      ev('approve', 16),
      ev('note', 17, { internal: true, body: '内部：风控' }),
      ev('delivery', 17, { body: 'webhook 200' }),
      ev('reply', 18, { body: '张三您好，已致电13812345678' }),
      ev('some_future_event', 19, { body: '未知' }),
      ev('unpublish', 20, { internal: true, body: '撤下' }),
      ev('republish', 21, { internal: true }),
    ];
    const pc = toPublicCase(source(complaint(), events));
    expect(pc.timeline.map((e) => e.type)).toEqual(['submitted', 'approve', 'reply']);
    expect(pc.timeline[2]).toMatchObject({ by: 'provider', body: '[姓名]您好，已致电[手机号]', date: '2026-11-03' });
    expect(pc.filedAt).toBe('2026-11-03'); // T0 + 15 h is 17:00 UTC: already the 3rd in China time
    expect(pc.description).toBe('我叫[姓名]，电话[手机号]。');
    expect(JSON.stringify(pc)).not.toMatch(/REF-SECRET|13900000000|合同\.pdf|z@example\.com|内部|撤下|webhook/);
  });

  it('flags overdue from the stored breach or the breach event, with deadlines to the day', () => {
    const base = [ev('approve', 16), ev('first_response_breached', 40, { actorRole: 'system' })];
    // Due times are the stored ones (the SLA policy's, here a 24 h / 48 h window from forwarding at 16 h), never recomputed.
    const late = toPublicCase(
      source(complaint({ firstResponseDueAt: T0 + 40 * H, resolutionDueAt: T0 + 64 * H }), base),
    );
    expect(late.overdue).toBe(true);
    expect(late.deadlines).toMatchObject({
      firstResponseDue: '2026-11-04',
      firstResponseMet: false,
      firstResponseOverdue: true,
      resolutionOverdue: false,
      firstResponseHours: 24,
      resolutionHours: 48,
    });
    const unstored = toPublicCase(source(complaint(), base));
    expect(unstored.deadlines).toMatchObject({
      firstResponseDue: null,
      resolutionDue: null,
      firstResponseHours: null,
      firstResponseOverdue: true,
    });
    const stored = toPublicCase(
      source(
        complaint({
          firstResponseDueAt: T0 + 40 * H,
          resolutionDueAt: T0 + 64 * H,
          resolutionBreachedAt: T0 + 70 * H,
          firstResponseAt: T0 + 17 * H,
        }),
        [ev('approve', 16)],
      ),
    );
    expect(stored).toMatchObject({ overdue: true, deadlines: { firstResponseMet: true, resolutionOverdue: true } });
  });

  it('tells the current truth: a disputed or reopened proposal is history, not the answer', () => {
    const staff = { actorRole: 'provider_staff' as const };
    const first = ev('propose_resolution', 20, { ...staff, body: '退回 100 元手续费。' });
    const disputed = [ev('approve', 16), first, ev('dispute', 30, { actorRole: 'consumer', body: '只退了一半。' })];
    const d = toPublicCase(source(complaint({ status: 'in_progress' }), disputed));
    expect(d.resolution).toBeNull();
    expect(d.stateNote).toBe('消费者不认可机构提出的方案（2026-11-03），投诉仍在处理中。');
    expect(d.timeline.find((e) => e.type === 'propose_resolution')).toMatchObject({
      superseded: true,
      label: '机构提出解决方案（消费者不认可，已失效）',
    });

    const second = ev('propose_resolution', 40, { ...staff, body: '全额退回 200 元。' });
    const again = toPublicCase(source(complaint({ status: 'awaiting_consumer' }), [...disputed, second]));
    expect(again.resolution).toMatchObject({ text: '全额退回 200 元。', confirmed: false });
    expect(again.stateNote).toBeNull();
    expect(again.timeline.filter((e) => e.superseded).map((e) => e.body)).toEqual(['退回 100 元手续费。']);

    const confirmed = [...disputed, second, ev('confirm', 50, { actorRole: 'consumer', status: 'resolved' })];
    const reopened = toPublicCase(
      source(complaint({ status: 'in_progress' }), [
        ...confirmed,
        ev('reopen', 60, { actorRole: 'consumer', body: '钱又被扣回去了。' }),
      ]),
    );
    expect(reopened.resolution).toBeNull();
    expect(reopened.outcome.resolved).toBe(false);
    expect(reopened.stateNote).toContain('消费者重新打开了投诉');
    expect(reopened.timeline.filter((e) => e.superseded).map((e) => e.label)).toEqual([
      '机构提出解决方案（消费者不认可，已失效）',
      '机构提出解决方案（投诉已重新打开，已失效）',
    ]);
  });

  it('replaces private values a text repeats verbatim, even without a context word', () => {
    const pc = toPublicCase(
      source(
        complaint({ description: '流水 REF-SECRET-123 已截图，附件 合同.pdf，联系 13900000000 或 z@example.com' }),
        [],
      ),
    );
    expect(pc.description).not.toMatch(/REF-SECRET-123|合同\.pdf|13900000000|z@example\.com/);
  });
});

describe('a disputed case on its public page', () => {
  it('shows the current state first and the old proposal as superseded, not as the answer', async () => {
    const who = await actors(t);
    const { id } = await publishedCase(
      t,
      who,
      { provider: 'alipay' },
      { reply: '已收到。', propose: '退回 100 元手续费。' },
    );
    await mustAct(who.consumer, id, 'dispute', { body: '只退了一半，不认可。' });
    const page = (await new Client(t.app).get(`/cases/${id}`, { accept: 'text/html' })).body;
    expect(page).toContain('data-state-note>消费者不认可机构提出的方案');
    expect(page).not.toContain('<section class="resolution">');
    expect(page).toMatch(
      /class="event event-propose_resolution by-provider superseded"[\s\S]*?机构提出解决方案（消费者不认可，已失效）/,
    );
    expect((await new Client(t.app).get(`/api/v1/cases/${id}`)).json()).toMatchObject({ resolution: null });
  });
});

describe('the overdue badge on the board', () => {
  it('appears on the case page and in the list once the SLA flags a breach', async () => {
    const who = await actors(t);
    const { id } = await publishedCase(t, who);
    t.clock.advance(25 * H);
    await t.app.sla.tick();
    await drain(t);
    const c = (await new Client(t.app).get(`/api/v1/cases/${id}`)).json();
    expect(c.overdue).toBe(true);
    expect(c.timeline.map((e: { type: string }) => e.type)).toContain('first_response_breached');
    expect((await new Client(t.app).get(`/cases/${id}`, { accept: 'text/html' })).body).toContain(
      '<span class="badge overdue"',
    );
    expect((await new Client(t.app).get('/api/v1/cases')).json().items[0].overdue).toBe(true);
    const staff = await staffFor(t, who, 'alipay');
    await mustAct(staff, id, 'reply', { body: '抱歉回复晚了。' });
    const card = (await new Client(t.app).get('/api/v1/providers/alipay/scorecard')).json();
    expect(card.counts).toMatchObject({ firstResponseDecided: 1, firstResponseOnTime: 0, replied: 1 });
    expect(card).toMatchObject({ complaints: 1, onTimeFirstResponseRate: null, replyRate: null }); // one case: 样本不足
  });
});

describe('preview before submitting', () => {
  it('shows the author the anonymised text with their own registered names removed', async () => {
    const who = await actors(t, { realName: '李雷', displayName: '雷雷' });
    const res = await who.consumer.post('/api/v1/preview', {
      title: '李雷的钱包被冻结',
      description: '雷雷在此：手机 138 1234 5678，卡号 6222021234567890128，金额 569.78 元。',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      title: '[姓名]的钱包被冻结',
      description: '[姓名]在此：手机 [手机号]，卡号 [银行卡号]，金额 569.78 元。',
      findings: 4,
      removed: { '[姓名]': 2, '[手机号]': 1, '[银行卡号]': 1 },
    });
    const form = await who.consumer.get('/complaints/new', { accept: 'text/html' });
    expect(form.body).toContain('id="public-preview"');
    expect(form.body).toContain('id="similar-cases"');
  });
});
