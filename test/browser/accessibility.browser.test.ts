// Every page type, for every role, at desktop (1366x900) and phone (390x844) width, checked in Chromium with axe-core:
// no serious or critical violation of WCAG 2 A/AA rules, and on phones no horizontal scroll.
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserApp } from '../helpers/browser.ts';
import { admin, consumer, staff } from '../helpers/factories.ts';
import { complaintIn } from '../helpers/lifecycle.ts';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

const ids = { forwarded: 0, submitted: 0, awaiting: 0 };
const people = { consumer: '', staff: '', admin: '' };
const env = browserApp(async (t) => {
  const a = await admin(t.app);
  const s = await staff(t.app, 'alipay', a);
  const c = await consumer(t.app);
  people.consumer = c.email;
  people.staff = s.email;
  people.admin = a.email;
  const who = { consumer: c, admin: a, staff: s, otherStaff: s, otherConsumer: c };
  ids.forwarded = await complaintIn(who, 'forwarded', { title: '支付宝退款一直未到账' });
  ids.awaiting = await complaintIn(who, 'awaiting_consumer');
  ids.submitted = await complaintIn(who, 'submitted');
});

const VIEWPORTS = [
  { name: 'desktop', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

type Role = 'anonymous' | 'consumer' | 'staff' | 'admin';
const PAGES: Record<Role, () => string[]> = {
  anonymous: () => [
    '/',
    '/cases',
    '/cases?q=%E9%80%80%E6%AC%BE',
    `/cases/${ids.forwarded}`,
    `/cases/${ids.forwarded}/similar`,
    '/providers',
    '/providers/alipay',
    '/help',
    '/privacy',
    '/terms',
    '/contact',
    '/login',
    '/register',
    '/forgot-password',
    '/merchant/login',
    '/api/docs',
  ],
  consumer: () => [
    '/complaints/new',
    `/complaints/${ids.forwarded}`,
    `/complaints/${ids.awaiting}`,
    '/me/complaints',
    '/me/settings',
    '/me/data',
    '/me/security',
  ],
  staff: () => ['/merchant', `/merchant/complaints/${ids.forwarded}`, '/merchant/team'],
  admin: () => [
    '/admin',
    '/admin/queue',
    `/admin/cases/${ids.forwarded}/publication`,
    '/admin/users',
    '/admin/providers',
    '/admin/audit',
    '/admin/settings',
  ],
};

const LOGIN: Record<Exclude<Role, 'anonymous'>, { path: string; password: string }> = {
  consumer: { path: '/login', password: 'correct-horse-1' },
  staff: { path: '/merchant/login', password: 'staff-password-1' },
  admin: { path: '/login', password: 'admin-password-1' },
};

async function pageFor(browser: Browser, role: Role, viewport: (typeof VIEWPORTS)[number]): Promise<Page> {
  // bypassCSP: axe is injected as an inline script, which the site's own policy (rightly) forbids.
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    bypassCSP: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  if (role !== 'anonymous') {
    await page.goto(`${env.base}${LOGIN[role].path}`);
    await page.fill('#email', people[role]);
    await page.fill('#password', LOGIN[role].password);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="login"] button[type=submit]')]);
  }
  return page;
}

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

async function audit(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return (r.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}

describe('accessibility of every page type', () => {
  for (const viewport of VIEWPORTS) {
    for (const role of Object.keys(PAGES) as Role[]) {
      it(`${role} pages at ${viewport.name} width: no serious or critical axe violation`, {
        timeout: 180_000,
      }, async () => {
        const page = await pageFor(env.browser, role, viewport);
        const problems: string[] = [];
        try {
          for (const path of PAGES[role]()) {
            const res = await page.goto(`${env.base}${path}`);
            expect(res?.status(), path).toBeLessThan(400);
            for (const f of await audit(page)) {
              if (f.impact === 'serious' || f.impact === 'critical')
                problems.push(`${path}: ${f.id} (${f.impact}) ${f.help} @ ${f.targets.join(', ')}`);
            }
            if (viewport.name === 'phone') {
              const overflow = await page.evaluate(
                () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
              );
              if (overflow > 1) problems.push(`${path}: scrolls sideways by ${overflow}px at 390px`);
            }
          }
        } finally {
          await page.context().close();
        }
        expect(problems).toEqual([]);
      });
    }
  }
});
