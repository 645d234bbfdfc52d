// The inbox tabs as a case moves through its lifecycle, the trigger-kept counts against a fresh count(*), keyset
// paging forwards and back, search by reference and title words, and what another provider's staff cannot see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, DAY, HOUR, mustAct, RATING, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
const html = { accept: 'text/html' };
const TABS = ['todo', 'overdue', 'consumer', 'closed', 'all'] as const;

beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterAll(async () => {
  await t.close();
});

type Item = { id: number; reference: string; title: string };
const list = async (c = who.staff, q = '') => {
  const res = await c.get(`/api/v1/merchant/complaints${q}`);
  if (res.statusCode !== 200) throw new Error(`${q}: ${res.statusCode} ${res.body}`);
  return res.json() as {
    tab: string;
    items: Item[];
    counts: Record<string, number>;
    total: number | null;
    nextCursor: string | null;
    prevCursor: string | null;
    match: string | null;
  };
};
const ids = (b: { items: Item[] }) => b.items.map((i) => i.id);

/** Every page of a tab, following nextCursor; then back with prevCursor: the same pages in reverse. */
async function walk(q: string, limit: number, c = who.staff) {
  const pages: number[][] = [];
  let body = await list(c, `?${q}&limit=${limit}`);
  pages.push(ids(body));
  expect(body.prevCursor).toBeNull();
  while (body.nextCursor) {
    body = await list(c, `?${q}&limit=${limit}&cursor=${body.nextCursor}`);
    pages.push(ids(body));
  }
  const back: number[][] = [ids(body)];
  while (body.prevCursor) {
    body = await list(c, `?${q}&limit=${limit}&cursor=${body.prevCursor}`);
    back.unshift(ids(body));
  }
  expect(back).toEqual(pages);
  return pages;
}

/** The counts a fresh count(*) gives, straight from the rows, for one provider. */
function freshCounts(slug: string) {
  const rows = t.app.sqlite
    .prepare(`SELECT c.status, c.first_response_breached_at IS NOT NULL OR c.resolution_breached_at IS NOT NULL AS breached,
    c.resolution_paused_at IS NOT NULL AS paused FROM complaints c JOIN providers p ON p.id = c.provider_id WHERE p.slug = ?`)
    .all(slug) as { status: string; breached: number; paused: number }[];
  const n = { todo: 0, overdue: 0, consumer: 0, closed: 0, all: 0 };
  for (const r of rows) {
    const open = ['forwarded', 'in_progress', 'awaiting_consumer'].includes(r.status);
    if (['forwarded', 'in_progress'].includes(r.status) && !r.paused) n.todo++;
    else if (open) n.consumer++;
    else if (['resolved', 'closed_unconfirmed', 'closed_unresolved', 'withdrawn'].includes(r.status)) n.closed++;
    else continue;
    n.all++;
    if (open && r.breached) n.overdue++;
  }
  return n;
}

/** In exactly the expected tabs, listed and (with a title word) searched: the title index follows the tab too. */
async function expectTabs(id: number, expected: string[], word?: string) {
  for (const tab of TABS) {
    const body = await list(who.staff, `?tab=${tab}&limit=100`);
    expect({ tab, has: ids(body).includes(id) }).toEqual({ tab, has: expected.includes(tab) });
    if (!word) continue;
    const found = await list(who.staff, `?tab=${tab}&q=${encodeURIComponent(word)}`);
    expect({ tab, found: ids(found) }).toEqual({ tab, found: expected.includes(tab) ? [id] : [] });
  }
  const counts = (await list()).counts;
  expect(counts).toEqual(freshCounts('alipay'));
  expect((await list(who.otherStaff)).counts).toEqual(freshCounts('wechat-pay'));
}

describe('inbox tabs through the lifecycle', () => {
  it('a case moves between tabs and every count stays equal to a fresh count', async () => {
    await complaintIn(who, 'forwarded', { provider: 'wechat-pay', title: '微信支付的另一件投诉' });
    const id = await complaintIn(who, 'submitted', { title: '生命周期里的投诉' });
    await expectTabs(id, [], '生命周期'); // under moderation: nobody's inbox
    await mustAct(who.admin, id, 'approve');
    await expectTabs(id, ['todo', 'all'], '生命周期');
    await mustAct(who.staff, id, 'reply', { body: '已收到，正在核实。' });
    await expectTabs(id, ['todo', 'all'], '生命周期');
    await mustAct(who.staff, id, 'request_info', { body: '请提供交易截图。' });
    await expectTabs(id, ['consumer', 'all'], '生命周期');
    await mustAct(who.consumer, id, 'supplement', { body: '截图已补充。' });
    await expectTabs(id, ['todo', 'all'], '生命周期');
    t.clock.advance(49 * HOUR);
    t.app.sla.tick(); // the scheduler's raw UPDATEs move the overdue count too
    await expectTabs(id, ['todo', 'overdue', 'all'], '生命周期');
    await mustAct(who.staff, id, 'propose_resolution', { body: '已全额退款。' });
    await expectTabs(id, ['consumer', 'overdue', 'all'], '生命周期');
    await mustAct(who.consumer, id, 'dispute', { body: '没有收到退款。' });
    await expectTabs(id, ['todo', 'overdue', 'all'], '生命周期');
    await mustAct(who.staff, id, 'propose_resolution', { body: '已再次退款。' });
    await mustAct(who.consumer, id, 'confirm', { rating: RATING });
    await expectTabs(id, ['closed', 'all'], '生命周期');
    await mustAct(who.consumer, id, 'reopen', { body: '退款又被扣回了。' });
    await expectTabs(id, ['todo', 'all'], '生命周期'); // fresh clocks: no longer overdue
    await mustAct(who.consumer, id, 'withdraw');
    await expectTabs(id, ['closed', 'all'], '生命周期');
  });

  it('auto-close by the scheduler and closing by an admin land in 已结束', async () => {
    const waiting = await complaintIn(who, 'awaiting_consumer', { title: '无人确认的投诉' });
    const open = await complaintIn(who, 'in_progress', { title: '平台关闭的投诉' });
    await expectTabs(waiting, ['consumer', 'all']);
    t.clock.advance(8 * DAY);
    t.app.sla.tick();
    await expectTabs(waiting, ['closed', 'all']);
    await expectTabs(open, ['todo', 'overdue', 'all']);
    await mustAct(who.admin, open, 'close_unresolved', { reason: '机构无法联系' });
    await expectTabs(open, ['closed', 'all']);
  });
});

describe('keyset paging', () => {
  it('visits every case of each tab exactly once, in order, forwards and back', async () => {
    for (let i = 0; i < 7; i++) await complaintIn(who, 'forwarded', { title: `同一时刻转交的投诉 ${i}` }); // equal deadlines: ties by id
    t.clock.advance(HOUR);
    for (let i = 0; i < 4; i++) await complaintIn(who, 'resolved', { title: `已解决的投诉 ${i}` });
    const counts = (await list()).counts;
    for (const tab of TABS) {
      const full = ids(await list(who.staff, `?tab=${tab}&limit=100`));
      expect(full.length).toBe(counts[tab]);
      const pages = await walk(`tab=${tab}`, 3);
      expect(pages.flat()).toEqual(full);
      expect(new Set(pages.flat()).size).toBe(full.length);
      expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    }
  });

  it('orders waiting tabs by the soonest deadline, finished ones latest first', async () => {
    const rows = (tab: string) =>
      t.app.sqlite
        .prepare(
          `SELECT id, inbox_due AS due FROM complaints WHERE inbox_tab = ? AND provider_id = (SELECT id FROM providers WHERE slug = 'alipay')`,
        )
        .all(tab) as { id: number; due: number }[];
    const asc = rows('todo')
      .sort((a, b) => a.due - b.due || a.id - b.id)
      .map((r) => r.id);
    expect(ids(await list(who.staff, '?tab=todo&limit=100'))).toEqual(asc);
    const desc = rows('closed')
      .sort((a, b) => b.due - a.due || b.id - a.id)
      .map((r) => r.id);
    expect(ids(await list(who.staff, '?tab=closed&limit=100'))).toEqual(desc);
  });

  it('a cursor of another tab or a forged one is a 400 (JSON) and a message on the page', async () => {
    const first = await list(who.staff, '?tab=todo&limit=2');
    const res = await who.staff.get(`/api/v1/merchant/complaints?tab=closed&cursor=${first.nextCursor}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'cursor', message: '翻页参数与当前标签不符，请回到第一页' });
    const page = await who.staff.get('/merchant?cursor=abc!', html);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('翻页参数无效，请回到第一页');
  });
});

describe('search', () => {
  const made: Record<string, { id: number; reference: string }> = {};
  beforeAll(async () => {
    const file = async (key: string, title: string, extra: Record<string, unknown> = {}) => {
      const id = await complaintIn(who, 'forwarded', { title, ...extra });
      made[key] = { id, reference: (await who.staff.get(`/api/v1/complaints/${id}`)).json().reference };
    };
    await file('frozen', '账户被冻结无法转账');
    await file('refund', '退款一直没有到账');
    await file('both', '冻结期间的退款去向不明', { consent: 'private' });
    await file('theirs', '微信零钱被冻结', { provider: 'wechat-pay' });
  });

  it('finds by a two-character word and by all words, newest first, private cases included', async () => {
    const frozen = await list(who.staff, `?q=${encodeURIComponent('冻结')}`);
    expect(frozen).toMatchObject({ tab: 'all', match: 'title' });
    expect(ids(frozen)).toEqual([made.both.id, made.frozen.id]);
    expect(ids(await list(who.staff, `?q=${encodeURIComponent('冻结 退款')}`))).toEqual([made.both.id]);
    expect(ids(await list(who.staff, `?q=${encodeURIComponent('退款')}&tab=consumer`))).toEqual([]);
    const pages = await walk(`q=${encodeURIComponent('投诉')}`, 4); // the paging titles above
    expect(pages.flat().length).toBe(new Set(pages.flat()).size);
    expect(pages.flat().length).toBeGreaterThan(8);
  });

  it('finds by the exact reference number, in any tab, any case', async () => {
    const body = await list(who.staff, `?q=${made.refund.reference.toLowerCase()}&tab=closed`);
    expect(body.match).toBe('reference');
    expect(ids(body)).toEqual([made.refund.id]);
    const page = (await who.staff.get(`/merchant?q=${made.refund.reference}`, html)).body;
    expect(page).toContain('按编号找到的投诉');
    expect(page).toContain('退款一直没有到账');
  });

  it('another provider finds nothing of this provider’s, by reference or by words', async () => {
    expect(ids(await list(who.otherStaff, `?q=${made.refund.reference}`))).toEqual([]);
    expect(ids(await list(who.otherStaff, `?q=${encodeURIComponent('冻结')}`))).toEqual([made.theirs.id]);
    expect(ids(await list(who.staff, `?q=${made.theirs.reference}`))).toEqual([]);
    const all = ids(await list(who.otherStaff, '?tab=all&limit=100'));
    expect(all).not.toContain(made.frozen.id);
    expect((await list(who.otherStaff)).counts).toEqual(freshCounts('wechat-pay'));
  });

  it('a query without searchable words is a 400 naming q', async () => {
    const res = await who.staff.get(`/api/v1/merchant/complaints?q=${encodeURIComponent('，。！')}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'q', message: '请输入投诉编号或标题中的词语' });
    const page = await who.staff.get(`/merchant?q=${encodeURIComponent('，。！')}`, html);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('请输入投诉编号或标题中的词语');
  });

  it('the page shows the tabs with their counts and the search box', async () => {
    const body = (await who.staff.get('/merchant?tab=overdue', html)).body;
    const counts = (await list()).counts;
    for (const [tab, label] of [
      ['todo', '待处理'],
      ['overdue', '已超时'],
      ['consumer', '等待消费者'],
      ['closed', '已结束'],
      ['all', '全部'],
    ]) {
      expect(body).toMatch(
        new RegExp(`class="tab tab-${tab}[^"]*"[^>]*>${label} <span class="count">${counts[tab]}</span>`),
      );
    }
    expect(body).toContain('aria-current="page">已超时');
    expect(body).toContain('id="q" name="q" type="search"');
  });
});
