// The pages people look for (帮助, 隐私政策, 用户协议, 联系我们): served to anyone, linked from every page's footer,
// listed in the sitemap, and stating the running configuration's numbers rather than numbers written into the text.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { consumer } from './helpers/factories.ts';
import { loadConfig } from '../server/config.ts';

let t: TestApp;
afterEach(async () => t?.close());

const PAGES = [
  ['/help', '帮助'],
  ['/privacy', '隐私政策'],
  ['/terms', '用户协议'],
  ['/contact', '联系我们'],
] as const;

describe('information pages', () => {
  it('serves each page to an anonymous reader with its title', async () => {
    t = await makeApp();
    for (const [path, title] of PAGES) {
      const res = await t.app.inject({ url: path });
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain(`<title>${title} · 钱包投诉台</title>`);
      expect(res.body).toContain(`<h1>${title}</h1>`);
    }
  });

  it('links all four from the footer of every kind of page, signed in or not', async () => {
    t = await makeApp();
    const signedIn = await consumer(t.app);
    for (const client of [new Client(t.app), signedIn]) {
      for (const url of ['/', '/cases', '/providers', '/login', '/help']) {
        const res = await client.get(url);
        if (res.statusCode === 303) continue; // /login redirects a signed-in consumer
        const footer = res.body.slice(res.body.indexOf('<footer'));
        for (const [path, title] of PAGES)
          expect(footer, `${url} → ${path}`).toContain(`<a href="${path}">${title}</a>`);
      }
    }
  });

  it('states the deadlines, windows and retention of the running configuration', async () => {
    t = await makeApp({
      slaDefaults: { firstResponseHours: 12, resolutionHours: 36 },
      contactEmail: 'privacy@complaints.example',
      outbox: {
        ...loadConfig({ DATABASE_PATH: ':memory:', DATA_DIR: '/tmp/x', SESSION_SECRET: 'x'.repeat(64) }).outbox,
        retentionDays: 45,
      },
    });
    const help = (await t.app.inject({ url: '/help' })).body;
    expect(help).toContain('12 小时内首次回复、36 小时内提出解决方案');
    // Every status is explained, with the label the rest of the site uses.
    for (const label of ['待审核', '已转交商家', '待消费者确认', '已关闭（消费者未确认）', '已撤诉'])
      expect(help).toContain(label);
    const privacy = (await t.app.inject({ url: '/privacy' })).body;
    expect(privacy).toContain('发送完成 45 天后清除');
    expect(privacy).toContain('mailto:privacy@complaints.example');
    expect(privacy).toContain('href="/me/data"');
    const contact = (await t.app.inject({ url: '/contact' })).body;
    expect(contact).toContain('privacy@complaints.example');
    const terms = (await t.app.inject({ url: '/terms' })).body;
    expect(terms).toContain('12 小时内首次回复');
  });

  it('lists the pages in the sitemap', async () => {
    t = await makeApp();
    const xml = (await t.app.inject({ url: '/sitemaps/pages.xml' })).body;
    for (const [path] of PAGES) expect(xml).toContain(`${path}</loc>`);
  });
});

describe('CONTACT_EMAIL', () => {
  const env = { DATABASE_PATH: ':memory:', DATA_DIR: '/tmp/x', SESSION_SECRET: 'x'.repeat(64) };
  it('defaults to support@ the public host', () => {
    expect(loadConfig({ ...env, PUBLIC_URL: 'https://tousu.example.cn' }).contactEmail).toBe(
      'support@tousu.example.cn',
    );
  });
  it('refuses a value that is not an address', () => {
    expect(() => loadConfig({ ...env, CONTACT_EMAIL: 'not an address' })).toThrow(/CONTACT_EMAIL/);
  });
});
