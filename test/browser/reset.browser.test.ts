// Reset by e-mail in a real browser, end to end: 忘记密码？ on the login page -> the form -> the outbox sends the mail
// to a real SMTP server on loopback -> the link read from the received mail is opened -> a new password is set -> the
// person logs in with it (and not with the old one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/chromium.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { consumer } from '../helpers/factories.ts';
import { freePort, mailText, smtpReceiver, type SmtpReceiver } from '../forwarding/receivers.ts';

let t: TestApp;
let smtp: SmtpReceiver;
let browser: Browser;
let base: string;

beforeAll(async () => {
  smtp = await smtpReceiver();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The mailed link must lead to this very server: PUBLIC_URL is the address it listens on.
  t = await makeApp({ smtpUrl: smtp.url, publicUrl: base });
  await t.app.listen({ host: '127.0.0.1', port });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

describe('password reset by e-mail in a real browser', () => {
  it('asks, receives the link by SMTP, sets a new password and logs in with it', { timeout: 60_000 }, async () => {
    const person = await consumer(t.app);
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);

    await page.goto(`${base}/login`);
    await page.click('text=忘记密码？');
    await page.waitForURL('**/forgot-password');
    await page.fill('#email', person.email);
    await page.click('button[type=submit]');
    expect(await page.textContent('.notice.success')).toContain('如果该邮箱已注册，我们已发送');

    // The outbox worker's turn, as the e2e tests drive it; the mail arrives at the SMTP server.
    await t.app.outbox.drain();
    // The reset mail, not the verification mail registration sent to the same address.
    const mail = smtp.messages.find((m) => m.to.includes(person.email) && mailText(m.raw).includes('reset-password'));
    expect(mail).toBeDefined();
    const link = mailText(mail!.raw).match(/https?:\/\/\S+\/reset-password\?token=[\w%-]+/)?.[0];
    expect(link).toBeDefined();
    expect(link!.startsWith(`${base}/reset-password?token=`)).toBe(true);

    await page.goto(link!);
    // A mistake first: shown beside the field, the link still works.
    await page.fill('#password', 'new-browser-pass-9');
    await page.fill('#password2', 'not-the-same-pass');
    await page.click('button[type=submit]');
    await page.waitForSelector('#password2-error');
    await page.fill('#password', 'new-browser-pass-9');
    await page.fill('#password2', 'new-browser-pass-9');
    await page.click('button[type=submit]');
    await page.waitForURL('**/login?reset=1');
    expect(await page.textContent('.notice.success')).toContain('密码已重设');

    // The old password no longer opens the account; the new one does.
    await page.fill('#email', person.email);
    await page.fill('#password', 'correct-horse-1');
    await page.click('button[type=submit]');
    await page.waitForSelector('#password-error');
    await page.fill('#email', person.email);
    await page.fill('#password', 'new-browser-pass-9');
    await page.click('button[type=submit]');
    await page.waitForURL('**/me/complaints');

    // The link is used up: opening it again offers to ask for a new one.
    await page.goto(link!);
    expect(await page.textContent('main')).toContain('链接无效或已过期');
    expect(await page.locator('a[href="/forgot-password"]').count()).toBe(1);
    await page.close();
  });
});
