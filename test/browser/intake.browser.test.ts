// A consumer registers, files a complaint with a screenshot through the form, and finds it in /me/complaints.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserApp } from '../helpers/browser.ts';
import { png } from '../helpers/files.ts';

const env = browserApp();

describe('filing a complaint in a real browser', () => {
  it('registers, files with a screenshot, sees it in 我的投诉', { timeout: 60_000 }, async () => {
    const page = await env.browser.newPage();
    page.setDefaultTimeout(10_000);
    const shot = join(env.t.dataDir, '截图.png');
    writeFileSync(shot, png({ w: 40, h: 30, metadata: true }));

    await page.goto(`${env.base}/complaints/new`);
    expect(page.url()).toContain('/login?next=');
    await page.click('text=注册');
    await page.fill('#email', 'browser-user@example.com');
    await page.fill('#password', 'browser-password-1');
    await page.fill('#displayName', '浏览器用户');
    await page.click('button[type=submit]');
    await page.waitForURL('**/complaints/new');

    // First a mistake: the form comes back with the message beside the field and the typed text kept.
    await page.fill('#provider', '微信');
    await page.selectOption('#category', 'account-frozen');
    await page.fill('#title', '冻结');
    await page.fill('#description', '微信零钱被冻结了，客服说账户有风险，但是一直不说明原因，也不给解冻时间。');
    await page.click('#complaint-form button[type=submit]');
    await page.waitForSelector('#title-error');
    expect(await page.textContent('#title-error')).toContain('至少需要 4 个字');
    expect(await page.inputValue('#description')).toContain('微信零钱被冻结了');

    await page.fill('#title', '微信零钱被冻结无法提现');
    await page.check('input[name=demands][value=unfreeze]');
    await page.fill('#amountYuan', '2,300.50');
    await page.fill('#incidentDate', '2026-10-30');
    await page.setInputFiles('#attachments', shot);
    await page.check('input[name=consent][value=private]');
    await page.click('#complaint-form button[type=submit]');
    await page.waitForURL(/\/complaints\/\d+\?filed=1/);
    const notice = await page.textContent('.notice.success');
    expect(notice).toMatch(/投诉已提交.*TS20261102-\d{6}/s);
    expect(await page.textContent('.callout')).toContain('95017');
    expect(await page.textContent('.attachments')).toContain('截图.png');

    await page.click('nav >> text=我的投诉');
    await page.waitForURL('**/me/complaints');
    const card = await page.textContent('.cards');
    expect(card).toContain('微信零钱被冻结无法提现');
    expect(card).toContain('待审核');
    await page.screenshot({
      path: process.env.SCREENSHOT_DIR
        ? join(process.env.SCREENSHOT_DIR, 'me-complaints.png')
        : join(env.t.dataDir, 'me-complaints.png'),
      fullPage: true,
    });
    await page.close();
  });
});
