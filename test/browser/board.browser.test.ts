// A reader searches the public board in real Chromium, opens a case, and sees its timeline and similar cases (loaded by
// the page's script); the same search works with JavaScript switched off.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser, listen } from '../helpers/browser.ts';
import { actors, drain, publishedCase } from '../board/helpers.ts';

let t: TestApp;
let browser: Browser;
let base: string;
let frozenId: number;

beforeAll(async () => {
  t = await makeApp();
  const who = await actors(t);
  frozenId = (await publishedCase(t, who, {
    provider: 'wechat-pay', category: 'account-frozen', title: '微信零钱被冻结无法提现', demands: ['unfreeze'],
    description: '微信零钱被冻结了，客服说账户有风险，但是一直不说明原因，也不给解冻时间。我的手机号是13812345678。',
  }, { reply: '您好，账户因风控被临时冻结，我们会在三个工作日内复核。' })).id;
  await publishedCase(t, who, { provider: 'wechat-pay', category: 'account-frozen', title: '零钱通余额被冻结', description: '零钱通里的余额突然被冻结，无法转出，客服只让我等待。', demands: ['unfreeze'] });
  await publishedCase(t, who, { provider: 'alipay', category: 'refund-pending', title: '支付宝退款一直未到账', description: '申请退款后商家已同意，但一直显示处理中，没有到账。' });
  await drain(t);
  base = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const shot = (name: string) => (process.env.SCREENSHOT_DIR ? join(process.env.SCREENSHOT_DIR, name) : join(t.dataDir, name));

describe('the public board in a real browser', () => {
  it('searches, opens a case, sees the timeline and similar cases', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/cases`);
    expect(await page.textContent('.result-count')).toContain('3');
    await page.fill('#q', '冻结');
    await page.click('form.search .search-row button[type=submit]');
    await page.waitForURL(/\/cases\?q=/);
    expect(await page.textContent('.result-count')).toMatch(/2\s*个案例/);
    const firstTitle = page.locator('.case-list .case-title').first();
    expect(await firstTitle.innerHTML()).toContain('<mark>冻结</mark>');
    await page.screenshot({ path: shot('board-search.png'), fullPage: true });

    await page.click(`a.case-title[href="/cases/${frozenId}"]`);
    await page.waitForURL(`**/cases/${frozenId}`);
    expect(await page.textContent('h1')).toBe('微信零钱被冻结无法提现');
    const text = await page.textContent('article.public-case');
    expect(text).toContain('[手机号]');
    expect(text).not.toContain('13812345678');
    expect(await page.textContent('.timeline')).toContain('机构回复');
    expect(await page.textContent('.timeline')).toContain('三个工作日内复核');
    // The script replaces the link with the similar cases themselves.
    await page.waitForSelector('#case-similar .case-list .case-item');
    expect(await page.textContent('#case-similar')).toContain('零钱通余额被冻结');
    await page.screenshot({ path: shot('board-case.png'), fullPage: true });
    await page.close();
  });

  it('works without JavaScript: the GET form, filters and the similar-cases page', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/cases`);
    await page.click('details.filters summary');
    await page.selectOption('#provider', 'alipay');
    await page.click('details.filters button[type=submit]');
    await page.waitForURL(/provider=alipay/);
    expect(await page.locator('.case-list .case-item').count()).toBe(1);
    expect(await page.textContent('.case-list')).toContain('支付宝退款一直未到账');
    await page.goto(`${base}/cases/${frozenId}`);
    await page.click('#case-similar a');
    await page.waitForURL(`**/cases/${frozenId}/similar`);
    expect(await page.textContent('.case-list')).toContain('零钱通余额被冻结');
    await context.close();
  });
});
