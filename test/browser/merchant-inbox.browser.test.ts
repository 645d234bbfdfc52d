// Provider staff in a real Chromium: log in at /merchant/login, find the forwarded complaint in the inbox with its
// countdown, reply through the form; the consumer's complaint page then shows the reply.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserApp } from '../helpers/browser.ts';
import { admin, consumer, staff } from '../helpers/factories.ts';
import { complaintIn, HOUR } from '../helpers/lifecycle.ts';

const env = browserApp();

async function logIn(page: Page, path: string, email: string, password: string) {
  await page.goto(`${env.base}${path}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('form[action$="login"] button[type=submit]');
}

describe('merchant inbox in a real browser', () => {
  it('staff log in, see the countdown, reply; the consumer reads the reply', { timeout: 60_000 }, async () => {
    const a = await admin(env.t.app);
    const agent = await staff(env.t.app, 'alipay', a);
    const owner = await consumer(env.t.app);
    const who = { consumer: owner, admin: a, staff: agent, otherStaff: agent, otherConsumer: owner };
    const id = await complaintIn(who, 'forwarded', { title: '浏览器里的退款投诉' });
    env.t.clock.advance(5 * HOUR + 48 * 60_000); // 18 h 12 min left of the first-response window

    const staffPage = await env.browser.newPage();
    staffPage.setDefaultTimeout(10_000);
    await logIn(staffPage, '/merchant/login', agent.email, 'staff-password-1');
    await staffPage.waitForURL(`${env.base}/merchant`);
    const row = staffPage.locator(`tr.inbox-item[data-id="${id}"]`);
    expect(await row.textContent()).toContain('浏览器里的退款投诉');
    expect(await row.locator('.countdown').textContent()).toBe('首次回复：剩余 18 小时 12 分');

    await row.locator('a').click();
    await staffPage.waitForURL(`${env.base}/merchant/complaints/${id}`);
    await staffPage.click('#form-reply button[type=submit]'); // empty first: the message comes back beside the field
    await staffPage.waitForSelector('#reply-body-error');
    expect(await staffPage.textContent('#reply-body-error')).toContain('请填写回复内容');
    await staffPage.fill('#reply-body', '您好，已收到您的投诉，退款正在加急处理，预计今天到账。');
    await staffPage.click('#form-reply button[type=submit]');
    await staffPage.waitForURL(/done=reply/);
    expect(await staffPage.textContent('.status-in_progress')).toContain('处理中');
    expect(await staffPage.textContent('#timeline')).toContain('退款正在加急处理');

    // Without JavaScript-only tricks: the search box finds it by a title word, the tabs carry their counts.
    await staffPage.goto(`${env.base}/merchant`);
    expect(await staffPage.textContent('a.tab-todo .count')).toBe('1');
    await staffPage.fill('#q', '退款');
    await staffPage.click('form[role=search] button[type=submit]');
    await staffPage.waitForURL(/q=/);
    expect(await staffPage.textContent('#search-note')).toContain('标题含「退款」');
    expect(await staffPage.locator(`tr.inbox-item[data-id="${id}"]`).count()).toBe(1);
    await staffPage.click('a.tab-closed');
    await staffPage.waitForURL(/tab=closed/);
    expect(await staffPage.textContent('main')).toContain('没有符合条件的投诉');

    const ownerPage = await (await env.browser.newContext()).newPage();
    ownerPage.setDefaultTimeout(10_000);
    await logIn(ownerPage, `/login?next=${encodeURIComponent(`/complaints/${id}`)}`, owner.email, 'correct-horse-1');
    await ownerPage.waitForURL(`${env.base}/complaints/${id}`);
    const timeline = await ownerPage.textContent('#timeline');
    expect(timeline).toContain('商家回复');
    expect(timeline).toContain('您好，已收到您的投诉，退款正在加急处理，预计今天到账。');
  });
});
