// The guided filing form in real Chromium: a file over the cap or of the wrong type is refused beside the field before
// it is uploaded; the preview column sits beside the description on a desktop and under it on a phone; a file chosen
// before a mistake is kept, and the 核对 step leads to one filed complaint with it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserApp } from '../helpers/browser.ts';
import { consumer } from '../helpers/factories.ts';
import { png } from '../helpers/files.ts';

let email = '';
const env = browserApp(async (t) => {
  email = (await consumer(t.app)).email;
});

/** One page for the file (the packaged Chromium runs in one process): logged in once, sized per test. */
let shared: Page | null = null;
async function loggedIn(width: number, height: number): Promise<Page> {
  if (!shared) {
    shared = await env.browser.newPage();
    shared.setDefaultTimeout(10_000);
    await shared.goto(`${env.base}/login?next=/complaints/new`);
    await shared.fill('#email', email);
    await shared.fill('#password', 'correct-horse-1');
    await shared.click('main button[type=submit]');
    await shared.waitForURL('**/complaints/new');
  }
  await shared.setViewportSize({ width, height });
  await shared.goto(`${env.base}/complaints/new`);
  return shared;
}

describe('the filing form in a real browser', () => {
  it('refuses a file over the cap or of the wrong type beside the field, before upload', {
    timeout: 60_000,
  }, async () => {
    const page = await loggedIn(1366, 900);
    const huge = join(env.t.dataDir, '大图.png');
    writeFileSync(huge, Buffer.concat([png(), Buffer.alloc(11 * 1024 * 1024)]));
    await page.setInputFiles('#attachments', huge);
    expect(await page.textContent('#attachments-error')).toContain('附件「大图.png」超过 10 MB');
    expect(await page.getAttribute('#attachments', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#attachments', 'aria-describedby')).toContain('attachments-error');
    expect(await page.$eval('#attachments', (i) => (i as HTMLInputElement).files?.length)).toBe(0);

    const text = join(env.t.dataDir, 'notes.txt');
    writeFileSync(text, 'not evidence');
    await page.setInputFiles('#attachments', text);
    expect(await page.textContent('#attachments-error')).toContain('不是支持的格式');

    const ok = join(env.t.dataDir, 'ok.png');
    writeFileSync(ok, png());
    await page.setInputFiles('#attachments', ok);
    expect(await page.$('#attachments-error')).toBeNull();
    expect(await page.getAttribute('#attachments', 'aria-invalid')).toBeNull();
  });

  it('puts the preview beside the description on a desktop and right under it on a phone', {
    timeout: 60_000,
  }, async () => {
    for (const [w, h, beside] of [
      [1366, 900, true],
      [390, 844, false],
    ] as const) {
      const page = await loggedIn(w, h);
      const text = (await page.locator('#description').boundingBox())!;
      const side = (await page.locator('.describe-side').boundingBox())!;
      if (beside) {
        expect(side.x).toBeGreaterThanOrEqual(text.x + text.width);
        expect(side.y).toBeLessThan(text.y + text.height);
      } else {
        expect(side.y).toBeGreaterThan(text.y + text.height);
        // Right under it: before the demands that follow.
        expect(side.y).toBeLessThan((await page.locator('#demands').boundingBox())!.y);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
      }
    }
  });

  it('keeps a file through a mistake and files once after 核对', { timeout: 60_000 }, async () => {
    const page = await loggedIn(1366, 900);
    const shot = join(env.t.dataDir, '转账截图.png');
    writeFileSync(shot, png({ w: 20, h: 20 }));
    await page.fill('#provider', '支付宝');
    await page.selectOption('#category', 'refund-pending');
    await page.fill('#title', '退款');
    await page.fill(
      '#description',
      '我在11月1日申请了退款，商家已经同意。\n但支付宝一直显示处理中，客服让我继续等待。',
    );
    await page.check('input[name=demands][value=refund]');
    await page.setInputFiles('#attachments', shot);
    await page.click('button[value=submit]');
    await page.waitForSelector('#title-error');
    expect(await page.textContent('#kept-files')).toContain('已保留：转账截图.png');

    await page.fill('#title', '支付宝退款一直未到账');
    await page.click('button[value=review]');
    await page.waitForSelector('#review-provider');
    expect(await page.textContent('#review-provider')).toContain('转账截图.png');
    expect(await page.textContent('#review-public')).toContain('支付宝退款一直未到账');
    await page.click('button[value=submit]');
    await page.waitForURL(/\/complaints\/\d+\?filed=1/);
    expect(await page.textContent('.attachments')).toContain('转账截图.png');
    const rows = env.t.app.sqlite.prepare('SELECT description FROM complaints').all() as { description: string }[];
    expect(rows).toHaveLength(1);
    // The text went through the review page's hidden fields with its line break.
    expect(rows[0]!.description).toBe(
      '我在11月1日申请了退款，商家已经同意。\n但支付宝一直显示处理中，客服让我继续等待。',
    );
  });
});
