// Following one's complaint (issue 11): every missed deadline is stated, not only the first; public deadlines carry
// their time to the minute; the days left to confirm a proposal are on the page; a rejection's reason stands at the
// top; and the consumer finds their way to the public case once it is published.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, DAY, HOUR } from '../helpers/lifecycle.ts';

let t: TestApp;
afterEach(async () => t?.close());

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

describe('the complaint page follows both deadlines', () => {
  it('says the first response and the resolution were both missed once both have passed', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    t.clock.advance(3 * DAY);
    t.app.sla.tick();
    await t.app.outbox.drain();
    const page = text((await who.consumer.get(`/complaints/${id}`)).body);
    expect(page).toMatch(/首次回复：已超时 \d+ 小时/);
    expect(page).toMatch(/提出解决方案：已超时 \d+ 小时/);
  });

  it('counts down the running deadline and states an answered one as met', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'in_progress');
    const page = text((await who.consumer.get(`/complaints/${id}`)).body);
    expect(page).toContain('已按时回复');
    expect(page).toMatch(/提出解决方案：剩余 \d+ 小时/);
    expect(page).not.toContain('首次回复：剩余');
  });
});

describe('awaiting the consumer', () => {
  it('states by when to confirm, from the policy, on the page', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'awaiting_consumer');
    const html = (await who.consumer.get(`/complaints/${id}`)).body;
    const due = t.app.deadlinePolicy.rules.autoCloseDays;
    expect(html).toContain('id="confirm-by"');
    expect(text(html)).toContain(`方案提出后 ${due} 天内`);
    expect(text(html)).toContain('已关闭（消费者未确认）');
    // The provider's staff see the case but not the consumer's reminder.
    const staffHtml = (await who.staff.get(`/complaints/${id}`)).body;
    expect(staffHtml).not.toContain('id="confirm-by"');
  });
});

describe('a rejected complaint', () => {
  it('shows the reason at the top with the way to correct it', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'rejected');
    const html = (await who.consumer.get(`/complaints/${id}`)).body;
    const notice = html.slice(html.indexOf('id="rejection"'), html.indexOf('id="timeline"'));
    expect(notice).toContain('请补充交易时间和金额');
    expect(notice).toContain(`/complaints/${id}/edit`);
    expect(html.indexOf('id="rejection"')).toBeLessThan(html.indexOf('<h2>投诉内容</h2>'));
  });
});

describe('the way to the public case', () => {
  it('links the consumer to the published case, and not before it is published', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const pending = await complaintIn(who, 'submitted');
    expect((await who.consumer.get(`/complaints/${pending}`)).body).not.toContain('id="public-case-link"');
    const id = await complaintIn(who, 'forwarded');
    const html = (await who.consumer.get(`/complaints/${id}`)).body;
    expect(html).toContain(`href="/cases/${id}" id="public-case-link"`);
    const priv = await complaintIn(who, 'forwarded', { consent: 'private' });
    expect((await who.consumer.get(`/complaints/${priv}`)).body).not.toContain('id="public-case-link"');
  });
});

describe('public deadlines', () => {
  it('carry the due time to the minute in China time', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    const json = (await t.app.inject({ url: `/api/v1/cases/${id}` })).json();
    const due = Date.parse(json.deadlines.firstResponseDueAt);
    expect(due).toBeGreaterThan(t.clock.now());
    expect(json.deadlines.resolutionDueAt).toMatch(/T\d\d:\d\d/);
    const page = text((await t.app.inject({ url: `/cases/${id}` })).body);
    const china = new Date(due + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    expect(page).toContain(`首次回复时限北京时间 ${china} 前`);
  });
});
