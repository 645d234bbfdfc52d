// Two-factor in a real Chromium: a consumer enrols at /me/security (reading the secret from the page's manual-entry
// text, as someone without a camera would), logs out, and logs in with the password and then a code from an
// authenticator (otplib here, at the server's test clock). A wrong code first comes back beside the field.
import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { browserApp } from '../helpers/browser.ts';
import { consumer } from '../helpers/factories.ts';

const env = browserApp();
const codeFor = (secret: string) => generateSync({ secret, epoch: Math.floor(env.t.clock.now() / 1000) });

describe('two-factor login in a real browser', () => {
  it('enrols through /me/security, then logs in with password and code', { timeout: 60_000 }, async () => {
    const who = await consumer(env.t.app);
    const page = await (await env.browser.newContext()).newPage();
    page.setDefaultTimeout(10_000);

    await page.goto(`${env.base}/login?next=${encodeURIComponent('/me/security')}`);
    await page.fill('#email', who.email);
    await page.fill('#password', 'correct-horse-1');
    await page.click('form[action="/login"] button[type=submit]');
    await page.waitForURL(`${env.base}/me/security`);
    expect(await page.textContent('main')).toContain('状态：未启用');

    await page.click('form[action="/me/security/setup"] button[type=submit]');
    await page.waitForSelector('.qr svg');
    const box = await page.locator('.qr svg').boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    const secret = (await page.textContent('#totp-secret'))!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await page.fill('#confirm-code', codeFor(secret));
    await page.click('form[action="/me/security/confirm"] button[type=submit]');
    await page.waitForSelector('#recovery-codes');
    expect(await page.locator('#recovery-codes li').count()).toBe(10);
    expect(await page.textContent('main')).toContain('状态：已启用');

    await page.click('header form[action="/logout"] button');
    await page.waitForURL(`${env.base}/`);
    env.t.clock.advance(30_000); // the confirming code's step is spent; the app shows the next code

    await page.goto(`${env.base}/login`);
    await page.fill('#email', who.email);
    await page.fill('#password', 'correct-horse-1');
    await page.click('form[action="/login"] button[type=submit]');
    await page.waitForSelector('#code');
    expect(await page.textContent('h1')).toBe('两步验证');
    await page.fill('#code', '000000');
    await page.click('form[action="/login/totp"] >> nth=0 >> button[type=submit]');
    await page.waitForSelector('#code-error');
    expect(await page.textContent('#code-error')).toContain('验证码不正确');

    await page.fill('#code', codeFor(secret));
    await page.click('form[action="/login/totp"] >> nth=0 >> button[type=submit]');
    await page.waitForURL(`${env.base}/me/complaints`);
    expect(await page.textContent('header')).toContain('退出');
  });
});
