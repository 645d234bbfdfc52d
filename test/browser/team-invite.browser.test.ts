// In real Chromium with JavaScript off: an admin reaches a provider's staff page from the dashboard and invites a
// person; the person opens the mailed link, sets a password (a weak one is refused beside the field) and lands in the
// merchant portal as that provider's staff, where the team page lists them.
import { describe, expect, it } from 'vitest';
import { browserApp } from '../helpers/browser.ts';

const ADMIN = { email: 'root@example.com', password: 'admin-password-1' };
const env = browserApp(async (t) => {
  await t.app.accounts.ensureAdmin({ actor: null, clock: t.clock }, ADMIN.email, ADMIN.password);
});

describe('inviting a provider’s staff in the browser', () => {
  it('admin invites from the staff page; the invitee sets a password from the link and signs in', async () => {
    const admin = await (await env.browser.newContext({ javaScriptEnabled: false })).newPage();
    await admin.goto(`${env.base}/login`);
    await admin.fill('#email', ADMIN.email);
    await admin.fill('#password', ADMIN.password);
    await admin.click('form[action$="login"] button[type=submit]');
    await admin.waitForURL(`${env.base}/admin`);
    await admin.click('a[href="/admin/providers"] >> nth=0');
    await admin.fill('#q', '支付宝');
    await admin.click('form[role=search] button[type=submit]');
    await admin.click('a[href="/admin/providers/alipay/staff"]');
    await admin.fill('#email', 'lin@alipay.example');
    await admin.fill('#displayName', '林客服');
    await admin.click('form[action$="/staff/invite"] button[type=submit]');
    await admin.waitForURL(/done=invited/);
    expect(await admin.locator('table.team').innerText()).toContain('lin@alipay.example');

    const payload = env.t.app.sqlite
      .prepare("SELECT payload FROM outbox WHERE topic = 'email' AND payload LIKE '%lin@alipay.example%'")
      .pluck()
      .get() as string;
    const link = /accept-invite\?token=[\w-]+/.exec(JSON.parse(payload).text)![0];

    const person = await (await env.browser.newContext({ javaScriptEnabled: false })).newPage();
    await person.goto(`${env.base}/${link}`);
    expect(await person.locator('h1').innerText()).toBe('接受邀请');
    await person.fill('#password', 'password123');
    await person.fill('#confirm', 'password123');
    await person.click('form[action="/accept-invite"] button[type=submit]');
    expect(await person.locator('#password-error').innerText()).toContain('太常见');
    await person.fill('#password', 'lantern-river-58');
    await person.fill('#confirm', 'lantern-river-58');
    await person.click('form[action="/accept-invite"] button[type=submit]');
    await person.waitForURL(`${env.base}/merchant`);
    await person.click('a[href="/merchant/team"]');
    const team = await person.locator('table.team').innerText();
    expect(team).toContain('林客服');
    expect(await person.locator('h1').innerText()).toContain('支付宝');
  });
});
