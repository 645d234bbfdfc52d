// What crawlers and browsers ask for beside the pages: robots.txt keeps private and staff pages out, the sitemap lists
// public cases (never one that is not public) in files of fixed id ranges, and the favicon; plus the readers' page
// details of issue 11 kept here: the home title says the name once, large counts have separators, badges are legible.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount } from '../../server/lib/view-helpers.ts';
import { CASES_PER_SITEMAP } from '../../server/modules/board/routes-crawlers.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clonePublicCase } from './helpers.ts';
import { actors, type Actors, cast, complaintIn, drain, publishedCase } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Actors;
let publicId: number;
let privateId: number;
beforeAll(async () => {
  t = await makeApp({ publicUrl: 'https://tousu.example' });
  who = await actors(t);
  publicId = (await publishedCase(t, who)).id;
  privateId = (await publishedCase(t, who, { consent: 'private' })).id;
  await drain(t);
});
afterAll(async () => t.close());

describe('crawlers', () => {
  it("robots.txt keeps consumers' and staff pages out and points to the sitemap", async () => {
    const res = await new Client(t.app).get('/robots.txt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const path of ['/admin', '/merchant', '/me/', '/complaints/', '/api/v1/admin/'])
      expect(res.body).toContain(`Disallow: ${path}`);
    expect(res.body).toContain('Sitemap: https://tousu.example/sitemap.xml');
  });

  it("lists public cases in fixed id ranges, never a private one, and the listed providers' pages", async () => {
    const anon = new Client(t.app);
    const index = await anon.get('/sitemap.xml');
    expect(index.body).toContain('<loc>https://tousu.example/sitemaps/pages.xml</loc>');
    expect(index.body).toContain('<loc>https://tousu.example/sitemaps/cases/0</loc>');
    const cases = (await anon.get('/sitemaps/cases/0')).body;
    expect(cases).toContain(`<loc>https://tousu.example/cases/${publicId}</loc>`);
    expect(cases).not.toContain(`/cases/${privateId}<`);
    expect(cases).toMatch(/<lastmod>\d{4}-\d{2}-\d{2}<\/lastmod>/);
    expect((await anon.get('/sitemaps/cases/1')).body).not.toContain('<url>');
    expect((await anon.get('/sitemaps/cases/abc')).statusCode).toBe(400);
    const pages = (await anon.get('/sitemaps/pages.xml')).body;
    expect(pages).toContain('<loc>https://tousu.example/providers/alipay</loc>');
    expect(CASES_PER_SITEMAP).toBe(50_000);
  });

  it('serves a favicon, linked from every page and at /favicon.ico', async () => {
    const anon = new Client(t.app);
    const ico = await anon.get('/favicon.ico');
    expect(ico.statusCode).toBe(301);
    expect(ico.headers.location).toBe('/static/favicon.svg');
    expect((await anon.get('/static/favicon.svg')).body).toContain('<svg');
    expect((await anon.get('/cases', { accept: 'text/html' })).body).toContain(
      '<link rel="icon" href="/static/favicon.svg"',
    );
  });
});

describe('reader details', () => {
  it('titles the home page with the name once', async () => {
    const html = (await new Client(t.app).get('/', { accept: 'text/html' })).body;
    const title = html.match(/<title>([^<]*)<\/title>/)![1];
    expect(title.split('钱包投诉台').length - 1).toBe(1);
  });

  it('prints large counts with thousands separators', async () => {
    expect(formatCount(1000003)).toBe('1,000,003');
    expect(formatCount(999)).toBe('999');
    await clonePublicCase(t, publicId, 1200, { firstId: 10_000 });
    const html = (await new Client(t.app).get('/cases', { accept: 'text/html' })).body;
    expect(html).toMatch(/<strong>1,2\d\d<\/strong> 个案例/);
  });

  it('gives muted badges (待核实机构) at least 4.5:1 contrast', () => {
    const css = readFileSync(new URL('../../views/static/app.css', import.meta.url), 'utf8');
    const color = css.match(/\.badge\.muted\s*\{\s*color:\s*(#[0-9a-f]{6})/i)![1];
    const bg = css.match(/\.badge\s*\{[^}]*background:\s*(#[0-9a-f]{6})/i)![1];
    const lum = (hex: string) => {
      const [r, g, b] = [1, 3, 5]
        .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [hi, lo] = [lum(bg), lum(color)].sort((a, b) => b - a);
    expect((hi + 0.05) / (lo + 0.05)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('sharing a case', () => {
  it('gives the case page share metadata drawn from the public, anonymised view only', async () => {
    const html = (await new Client(t.app).get(`/cases/${publicId}`, { accept: 'text/html' })).body;
    const meta = (p: string) => html.match(new RegExp(`<meta property="${p}" content="([^"]*)"`))?.[1];
    expect(meta('og:url')).toBe(`https://tousu.example/cases/${publicId}`);
    expect(meta('og:title')).toContain('支付宝');
    const doc = (await new Client(t.app).get(`/api/v1/cases/${publicId}`)).json() as { description: string };
    expect(meta('og:description')).toContain(doc.description.replace(/\s+/g, ' ').slice(0, 20).replace(/&/g, '&amp;'));
    expect(html).toContain(`<link rel="canonical" href="https://tousu.example/cases/${publicId}">`);
  });
});

describe('short links', () => {
  it('/c/<id> redirects permanently to a public case, and is 404 for one that is not public', async () => {
    const t = await makeApp();
    try {
      const who = await cast(t.app);
      const id = await complaintIn(who, 'forwarded');
      const res = await t.app.inject({ url: `/c/${id}` });
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe(`/cases/${id}`);
      const page = (await t.app.inject({ url: `/cases/${id}` })).body;
      expect(page).toContain(`<a href="/c/${id}" id="short-link">${t.app.config.publicUrl}/c/${id}</a>`);
      const hidden = await complaintIn(who, 'submitted');
      expect((await t.app.inject({ url: `/c/${hidden}` })).statusCode).toBe(404);
      expect((await t.app.inject({ url: '/c/abc' })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
