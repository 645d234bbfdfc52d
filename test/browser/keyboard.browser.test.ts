// Keyboard only, in Chromium: a consumer files a complaint, an admin approves it from the queue, provider staff reply —
// every field and button reached with Tab, choices made with the arrow keys and Space, forms sent with Enter.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserApp } from '../helpers/browser.ts';
import { admin, consumer, staff } from '../helpers/factories.ts';

const people = { consumer: '', staff: '', admin: '' };
const env = browserApp(async (t) => {
  const a = await admin(t.app);
  people.admin = a.email;
  people.staff = (await staff(t.app, 'alipay', a)).email;
  people.consumer = (await consumer(t.app)).email;
});

/** Presses Tab until the element matching `selector` has the focus; fails if the keyboard never reaches it. */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} is not reachable with Tab`);
}

async function keyboardLogin(page: Page, path: string, email: string, password: string) {
  await page.goto(`${env.base}${path}`);
  await tabTo(page, '#email');
  await page.keyboard.type(email);
  await tabTo(page, '#password');
  await page.keyboard.type(password);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

describe('keyboard only', () => {
  it('files, moderates and replies without a mouse', { timeout: 120_000 }, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1366, height: 900 } });
    try {
      // The consumer files.
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await keyboardLogin(page, '/login', people.consumer, 'correct-horse-1');
      await page.goto(`${env.base}/complaints/new`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到正文');
      await tabTo(page, '#provider');
      await page.keyboard.type('支付宝');
      await tabTo(page, '#category');
      await page.keyboard.press('ArrowDown');
      await tabTo(page, '#title');
      await page.keyboard.type('键盘提交：退款一直没有到账');
      await tabTo(page, '#description');
      await page.keyboard.type(
        '十一月一日申请退款，商家已同意，但一直显示处理中，客服让我继续等待，已经超过承诺时间。',
      );
      await tabTo(page, 'input[name="demands"][value="refund"]');
      await page.keyboard.press('Space');
      await tabTo(page, 'button[name="intent"][value="submit"]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(page.url()).toMatch(/\/complaints\/\d+\?filed=1$/);
      const id = Number(/complaints\/(\d+)/.exec(page.url())![1]);

      // The admin approves it from the queue.
      const adminPage = await context
        .browser()!
        .newContext()
        .then((c) => c.newPage());
      adminPage.setDefaultTimeout(15_000);
      await keyboardLogin(adminPage, '/login', people.admin, 'admin-password-1');
      await adminPage.goto(`${env.base}/admin/queue`);
      await tabTo(adminPage, `#form-approve-${id} button[type="submit"]`, 200);
      await Promise.all([adminPage.waitForNavigation(), adminPage.keyboard.press('Enter')]);
      expect(adminPage.url()).toContain('/admin/queue?done=approve');
      await adminPage.context().close();

      // Provider staff reply.
      const staffPage = await context
        .browser()!
        .newContext()
        .then((c) => c.newPage());
      staffPage.setDefaultTimeout(15_000);
      await keyboardLogin(staffPage, '/merchant/login', people.staff, 'staff-password-1');
      await staffPage.goto(`${env.base}/merchant/complaints/${id}`);
      await tabTo(staffPage, '#reply-body', 200);
      await staffPage.keyboard.type('您好，已收到，退款正在处理。');
      await tabTo(staffPage, '#form-reply button[type="submit"]');
      await Promise.all([staffPage.waitForNavigation(), staffPage.keyboard.press('Enter')]);
      expect(staffPage.url()).toContain(`/merchant/complaints/${id}?done=reply`);
      await staffPage.context().close();

      const view = env.t.app.sqlite.prepare('SELECT status, title FROM complaints WHERE id = ?').get(id) as {
        status: string;
        title: string;
      };
      expect(view).toEqual({ status: 'in_progress', title: '键盘提交：退款一直没有到账' });
    } finally {
      await context.close();
    }
  });
});
