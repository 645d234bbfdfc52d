import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers/app.ts';
import { Client } from './helpers/client.ts';
import { admin, consumer } from './helpers/factories.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

describe('provider directory', () => {
  it('is seeded with the four wallet providers, their hotlines, aliases and contact sources', async () => {
    const items = (await new Client(t.app).get('/api/v1/providers')).json().items as Array<Record<string, unknown>>;
    const bySlug = Object.fromEntries(items.map((p) => [p.slug, p]));
    expect(bySlug['icbc-wallet']).toMatchObject({ name: '工商银行数字钱包', hotline: '95105105', verified: true });
    expect(bySlug.alipay).toMatchObject({ name: '支付宝', hotline: '95188' });
    expect(bySlug['wechat-pay']).toMatchObject({ name: '微信支付', hotline: '95017' });
    expect(bySlug.ecny).toMatchObject({ name: '数字人民币', hotline: null });
    expect(bySlug['icbc-wallet'].aliases).toEqual(expect.arrayContaining(['工行', '工商银行', 'ICBC']));
    expect(bySlug['wechat-pay'].aliases).toEqual(expect.arrayContaining(['微信', '财付通', 'WeChat Pay']));
    for (const p of items) {
      expect(p.contactSource).toBeTruthy();
      // A listed provider whose contact nobody has checked yet (the seeded banks) has no check date.
      if (p.verified) expect(p.lastVerifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      else expect(p.lastVerifiedAt).toBeNull();
    }
    expect(String(bySlug.ecny.contactSource)).toContain('未知');
  });

  it('seeding twice keeps what an admin corrected', async () => {
    const a = await admin(t.app);
    await a.send('PATCH', '/api/v1/admin/providers/ecny', { hotline: '95566', contactSource: '运营人员电话核实' });
    t.app.providers.seed({ actor: null, clock: t.clock });
    const ecny = (await a.get('/api/v1/providers/ecny')).json();
    expect(ecny).toMatchObject({ hotline: '95566', contactSource: '运营人员电话核实' });
  });

  it('lets an admin add a provider with channels, then correct its contact with a source and date', async () => {
    const a = await admin(t.app);
    const res = await a.post('/api/v1/admin/providers', {
      slug: 'jd-pay',
      name: '京东支付',
      aliases: ['京东', '网银在线'],
      hotline: '950618',
      contactSource: '官网客服页',
      channels: {
        webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-very-long-secret-123' },
        email: { to: 'complaints@jd.example' },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ slug: 'jd-pay', verified: true, hotline: '950618' });
    expect(JSON.stringify(res.json())).not.toContain('a-very-long-secret');
    const p = t.app.providers.get('jd-pay');
    expect(
      t.app.providers
        .channelsOf(p.id)
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['email', 'webhook']);
    t.clock.advance(86_400_000);
    const patched = await a.send('PATCH', '/api/v1/admin/providers/jd-pay', {
      hotline: '400-606-5500',
      contactSource: '电话核实',
      channels: { webhook: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      hotline: '400-606-5500',
      contactSource: '电话核实',
      lastVerifiedAt: new Date(t.clock.now()).toISOString(),
    });
    expect(t.app.providers.channelsOf(p.id).map((c) => c.kind)).toEqual(['email']);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ slug: 'Bad Slug', name: 'X' }, 'slug'],
    [{ slug: 'alipay', name: '重复' }, 'slug'],
    [{ slug: 'ok-slug' }, 'name'],
    [{ slug: 'ok-slug', name: '某钱包', hotline: 'call us' }, 'hotline'],
    [
      { slug: 'ok-slug', name: '某钱包', channels: { webhook: { url: 'ftp://x', secret: 'a-very-long-secret-123' } } },
      'channels.webhook.url',
    ],
    [
      { slug: 'ok-slug', name: '某钱包', channels: { webhook: { url: 'https://x.example/h', secret: 'short' } } },
      'channels.webhook.secret',
    ],
    [{ slug: 'ok-slug', name: '某钱包', channels: { email: { to: 'not-mail' } } }, 'channels.email.to'],
    [{ slug: 'ok-slug', name: '某钱包', aliases: [1, 2] }, 'aliases'],
  ])('rejects bad provider input %j', async (payload, field) => {
    const a = await admin(t.app);
    const res = await a.post('/api/v1/admin/providers', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe(field);
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('keeps the admin API to admins (404 for others, 401 logged out)', async () => {
    const c = await consumer(t.app);
    expect((await c.post('/api/v1/admin/providers', { slug: 'x-pay', name: 'X' })).statusCode).toBe(404);
    expect((await c.send('PATCH', '/api/v1/admin/providers/alipay', { hotline: '110' })).statusCode).toBe(404);
    expect((await new Client(t.app).post('/api/v1/admin/providers', { slug: 'x-pay', name: 'X' })).statusCode).toBe(
      401,
    );
    expect(t.app.providers.get('alipay').hotline).toBe('95188');
  });

  it('returns 404 for an unknown provider', async () => {
    expect((await new Client(t.app).get('/api/v1/providers/nope')).statusCode).toBe(404);
  });
});
