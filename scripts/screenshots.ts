// Screenshots of the main pages for review, every role, at desktop (1366x900) and phone (390x844) width: a fresh app
// on a temporary database with a few complaints walked through their lifecycle, real Chromium (Debian's, else the
// npm package's). Not part of `npm test`; the pictures are for people, the browser tests check the pages.
// Usage: npm run screenshots -- [--out DIR]   (default .screenshots/, ignored by git)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { buildApp } from '../server/app.ts';
import { testConfig } from '../server/config.ts';
import { TestClock } from '../server/lib/clock.ts';
import { launchBrowser } from '../test/helpers/chromium.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: '.screenshots' } } });
const out = resolve(values.out);
mkdirSync(out, { recursive: true });

const dataDir = mkdtempSync(join(tmpdir(), 'wc-screens-'));
const clock = new TestClock(() => Date.UTC(2026, 10, 2, 2, 0, 0), Date.UTC(2026, 10, 2, 2, 0, 0));
const app = await buildApp(testConfig({ dataDir, uploadDir: join(dataDir, 'uploads') }), { clock });
await app.ready();

/** One person's cookie-keeping session over app.inject, with the CSRF token fetched again after each login. */
async function session() {
  const jar = new Map<string, string>();
  let token = '';
  const keep = (cookies: { name: string; value: string }[]) => {
    for (const c of cookies) jar.set(c.name, c.value);
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  const refresh = async () => {
    const res = await app.inject({ url: '/api/v1/auth/csrf', headers: { cookie: cookie() } });
    keep(res.cookies);
    token = res.json().token;
  };
  await refresh();
  return {
    async post(url: string, payload: unknown) {
      const res = await app.inject({
        method: 'POST',
        url,
        payload: payload as object,
        headers: { cookie: cookie(), 'x-csrf-token': token },
      });
      keep(res.cookies);
      if (res.statusCode >= 400) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      if (url.startsWith('/api/v1/auth/')) await refresh();
      return res.json();
    },
  };
}

const PASSWORDS = { admin: 'screens-admin-42', staff: 'screens-staff-42', consumer: 'screens-consumer-42' };
await app.accounts.ensureAdmin({ actor: null, clock }, 'admin@screens.example', PASSWORDS.admin);
const adminS = await session();
await adminS.post('/api/v1/auth/login', { email: 'admin@screens.example', password: PASSWORDS.admin });
await adminS.post('/api/v1/admin/providers/alipay/staff', {
  email: 'staff@screens.example',
  password: PASSWORDS.staff,
  displayName: '支付宝客服',
});
const staffS = await session();
await staffS.post('/api/v1/auth/login', { email: 'staff@screens.example', password: PASSWORDS.staff });
const consumerS = await session();
await consumerS.post('/api/v1/auth/register', {
  email: 'consumer@screens.example',
  password: PASSWORDS.consumer,
  displayName: '小王同学',
});
const file = (title: string, description: string) =>
  consumerS.post('/api/v1/complaints', {
    provider: 'alipay',
    category: 'refund-pending',
    title,
    description,
    demands: ['refund'],
    amountFen: 56978,
    incidentDate: '2026-11-01',
    consent: 'public',
  }) as Promise<{ id: number }>;
const act = (s: Awaited<ReturnType<typeof session>>, id: number, body: object) =>
  s.post(`/api/v1/complaints/${id}/events`, body);

const answered = await file(
  '支付宝退款一直未到账',
  '我在11月1日申请了退款，商家已经同意，但支付宝一直显示处理中，客服让我继续等待，已经超过承诺时间。',
);
await act(adminS, answered.id, { type: 'approve' });
await act(staffS, answered.id, { type: 'reply', body: '您好，已收到，退款正在加急处理。' });
const proposed = await file(
  '余额被冻结无法提现',
  '账户余额 300 元被冻结，客服说需要等待审核，至今已经一周没有任何进展。',
);
await act(adminS, proposed.id, { type: 'approve' });
await act(staffS, proposed.id, { type: 'propose_resolution', body: '已解除冻结，请重新发起提现。' });
const waiting = await file(
  '花呗扣款金额不对',
  '十一月账单多扣了 120 元，账单明细里找不到对应的消费记录，请核实并退还。',
);

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const PAGES: Record<string, string[]> = {
  anonymous: ['/', '/cases', `/cases/${answered.id}`, '/providers', '/providers/alipay', '/help', '/login'],
  consumer: ['/complaints/new', `/complaints/${proposed.id}`, '/me/complaints', '/me/settings'],
  staff: ['/merchant', `/merchant/complaints/${answered.id}`, '/merchant/team'],
  admin: ['/admin', '/admin/queue', `/admin/cases/${answered.id}/publication`, '/admin/users'],
};
const LOGIN: Record<string, { path: string; email: string; password: string }> = {
  consumer: { path: '/login', email: 'consumer@screens.example', password: PASSWORDS.consumer },
  staff: { path: '/merchant/login', email: 'staff@screens.example', password: PASSWORDS.staff },
  admin: { path: '/login', email: 'admin@screens.example', password: PASSWORDS.admin },
};

const browser = await launchBrowser();
let count = 0;
try {
  for (const viewport of [
    { name: 'desktop', width: 1366, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    for (const [role, paths] of Object.entries(PAGES)) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page: Page = await context.newPage();
      if (LOGIN[role]) {
        await page.goto(`${base}${LOGIN[role].path}`);
        await page.fill('#email', LOGIN[role].email);
        await page.fill('#password', LOGIN[role].password);
        await Promise.all([page.waitForNavigation(), page.click('form[action$="login"] button[type=submit]')]);
      }
      for (const path of paths) {
        await page.goto(`${base}${path}`);
        const name = `${viewport.name}-${role}-${path.replace(/[^\w]+/g, '_').replace(/^_|_$/g, '') || 'home'}.png`;
        await page.screenshot({ path: join(out, name), fullPage: true });
        count++;
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`${count} screenshots in ${out} (complaint ${waiting.id} left waiting for review)`);
