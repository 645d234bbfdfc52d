// A reader searches the public board in real Chromium, opens a case, and sees its timeline and similar cases (loaded by
// the page's script); the same search works with JavaScript switched off.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { listen } from '../helpers/browser.ts';
import { launchBrowser } from '../helpers/chromium.ts';
import { actors, drain, publishedCase } from '../helpers/lifecycle.ts';

let t: TestApp;
let browser: Browser;
let base: string;
let frozenId: number;

beforeAll(async () => {
  t = await makeApp();
  const who = await actors(t);
  frozenId = (
    await publishedCase(
      t,
      who,
      {
        provider: 'wechat-pay',
        category: 'account-frozen',
        title: '微信零钱被冻结无法提现',
        demands: ['unfreeze'],
        description:
          '微信零钱被冻结了，客服说账户有风险，但是一直不说明原因，也不给解冻时间。我的手机号是13812345678。',
      },
      { reply: '您好，账户因风控被临时冻结，我们会在三个工作日内复核。' },
    )
  ).id;
  await publishedCase(t, who, {
    provider: 'wechat-pay',
    category: 'account-frozen',
    title: '零钱通余额被冻结',
    description: '零钱通里的余额突然被冻结，无法转出，客服只让我等待。',
    demands: ['unfreeze'],
  });
  await publishedCase(t, who, {
    provider: 'alipay',
    category: 'refund-pending',
    title: '支付宝退款一直未到账',
    description: '申请退款后商家已同意，但一直显示处理中，没有到账。',
  });
  // A board of unrelated cases around them: similar cases are found through words that are rare on the board.
  const topics = [
    '人脸识别一直不通过',
    '开通后没收到确认短信',
    '更新后频繁闪退',
    '客服电话排队半小时',
    '优惠活动返现不兑现',
    '积分被清零',
    '注册时提示系统繁忙',
    '额度被莫名降低',
    '接到大量推销电话',
    '收取不明手续费',
    '转账显示失败',
    '实名认证被驳回',
    '自动续费扣款',
    '提现手续费过高',
  ];
  for (const [i, topic] of topics.entries()) {
    await publishedCase(t, who, {
      provider: i % 2 ? 'ecny' : 'icbc-wallet',
      category: 'other',
      title: topic,
      description: `${topic}，联系了很多次都没有解决，希望平台督促处理。`,
    });
  }
  await drain(t);
  base = await listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const shot = (name: string) =>
  process.env.SCREENSHOT_DIR ? join(process.env.SCREENSHOT_DIR, name) : join(t.dataDir, name);

describe('the public board in a real browser', () => {
  it('searches, opens a case, sees the timeline and similar cases', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/cases`);
    expect(await page.textContent('.result-count')).toContain('17');
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

  it('shows the anonymised preview and similar cases on the complaint form while the consumer writes', {
    timeout: 60_000,
  }, async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/register?next=/complaints/new`);
    await page.fill('#email', 'board-reader@example.com');
    await page.fill('#password', 'board-reader-1');
    await page.fill('#displayName', '读者甲');
    await page.click('button[type=submit]');
    await page.waitForURL('**/complaints/new');
    await page.fill('#provider', '微信');
    await page.fill('#title', '微信零钱冻结了');
    await page.fill('#description', '零钱被冻结无法提现，客服不说明原因。我的电话 13812345678，请联系我。');
    await page.waitForSelector('#public-preview:not([hidden])');
    expect(await page.textContent('#public-preview')).toContain('[手机号]');
    expect(await page.textContent('#public-preview')).not.toContain('13812345678');
    await page.waitForSelector('#similar-cases:not([hidden]) .case-item');
    expect(await page.textContent('#similar-cases')).toContain('这些案例和你的情况相似');
    expect(await page.textContent('#similar-cases')).toContain('微信零钱被冻结无法提现');
    await page.screenshot({ path: shot('board-form-panel.png'), fullPage: true });
    await page.close();
  });
});
