// The board's search warm-up as the app runs it: started by listening (SEARCH_WARM), in slices that let requests
// through first, and stopped by closing the app.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { actors, drain, publishedCase } from '../helpers/lifecycle.ts';
import { caseDoc } from '../search/factories.ts';
import { WARM_ADDRESS } from '../../server/modules/board/page-warm.ts';

const BODIES = ['钱一直没有退回，客服说冻结了。', '申请退款被驳回。', '重复扣款，要求退还。'];

async function boardApp(enabled = true): Promise<TestApp> {
  // sliceMs 0: one step per slice, so warming takes one slice per common word and more
  const t = await makeApp({ searchWarm: { enabled, sliceMs: 0 } });
  await t.app.board.search.upsert(
    Array.from({ length: 400 }, (_, i) =>
      caseDoc(i + 1, {
        title: ['退款没有到账', '账户被冻结', '客服不回复'][i % 3],
        body: BODIES[i % 3],
        provider: ['alipay', 'wechat-pay'][i % 2],
      }),
    ),
  );
  return t;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('board search warm-up', () => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('answers a request sent during the warm-up before the warm-up ends', async () => {
    t = await boardApp();
    const { warm } = t.app.board;
    expect(warm.status().state).toBe('idle');
    const done = warm.start();
    while (warm.status().slices < 5) await turn();
    const res = await t.app.inject('/api/v1/cases?q=退款&facets=1');
    expect(res.statusCode).toBe(200);
    const at = warm.status();
    expect(at.state).toBe('warming');
    const end = await done;
    expect(end).toMatchObject({ state: 'warm' });
    expect(end.slices).toBeGreaterThan(at.slices);
    expect(end.total).toBeGreaterThan(3);
    expect(end.terms).toBe(end.total);
  });

  it('stops when the app closes mid-way, and no slice runs after', async () => {
    t = await boardApp();
    const { warm } = t.app.board;
    const done = warm.start();
    while (warm.status().slices < 5) await turn();
    await t.close();
    t = null;
    const end = await done;
    expect(end.state).toBe('stopped');
    for (let i = 0; i < 20; i++) await turn();
    expect(warm.status()).toMatchObject({ state: 'stopped', slices: end.slices });
  });

  it('starts once the app listens, unless SEARCH_WARM is off', async () => {
    t = await boardApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    expect(t.app.board.warm.status().state).toBe('warming');
    expect(await t.app.board.warm.start()).toMatchObject({ state: 'warm' });
    await t.close();

    t = await boardApp(false);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    for (let i = 0; i < 20; i++) await turn();
    expect(t.app.board.warm.status()).toMatchObject({ state: 'idle', slices: 0 });
  });

  it('then asks for the pages readers open first, and is ready only after', { timeout: 30_000 }, async () => {
    t = await makeApp({ searchWarm: { enabled: true, sliceMs: 0 } });
    const { id } = await publishedCase(t, await actors(t), { title: '支付宝退款一直没有到账' });
    await drain(t);
    const app = t.app;
    const asked: { url: string; status: number; from: string | undefined }[] = [];
    const inject = app.inject.bind(app);
    app.inject = (async (opts: { url: string; remoteAddress?: string }) => {
      const res = await inject(opts as never);
      asked.push({ url: opts.url, status: res.statusCode, from: opts.remoteAddress });
      return res;
    }) as never;
    const readiness = async () => (await inject('/readyz')).json() as { checks: { search: { message?: string } } };
    await app.board.warm.start();
    // The words are warm; the pages are being asked for, and readiness says so.
    expect((await readiness()).checks.search.message).toBe('页面预热中');
    while ((await readiness()).checks.search.message) await new Promise((r) => setTimeout(r, 20));
    const urls = asked.map((a) => a.url);
    for (const path of [`/cases/${id}`, `/api/v1/cases/${id}`, `/api/v1/cases/${id}/similar`, '/cases', '/'])
      expect(urls).toContain(path);
    expect(urls.some((u) => u.startsWith('/api/v1/cases?q='))).toBe(true);
    expect(asked.every((a) => a.status === 200 && a.from === WARM_ADDRESS)).toBe(true);
  });
});
