// Scorecard arithmetic on hand-built event histories: the numbers follow from the timeline events alone, and
// closed_unconfirmed never counts as resolved. The running sums (maintained by difference) equal a full recount.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { complaintEvents, complaints } from '../../server/modules/complaints/schema.ts';
import { rebuildAggregates } from '../../server/modules/board/stats-store.ts';
import { medianOfHistogram } from '../../server/modules/board/scorecard.ts';
import { rateDetail, rateFigure } from '../../server/modules/board/figures.ts';
import { startClocks } from '../../server/modules/sla/deadlines.ts';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { consumer, fileComplaint } from '../helpers/factories.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const H = 3600_000;
type Role = 'consumer' | 'provider_staff' | 'admin' | 'system';
interface Step {
  type: string;
  by: Role;
  atHours: number;
  status?: string;
  rating?: number[];
}

/** Writes a history the way the lifecycle does (event, status, hooks in one transaction), with chosen times. */
function history(id: number, steps: Step[]): void {
  for (const s of steps) {
    t.app.db.transaction((tx) => {
      const before = tx.select({ status: complaints.status }).from(complaints).where(eq(complaints.id, id)).get()!;
      const to = (s.status ?? before.status) as typeof before.status;
      // Approval and reopen start the clocks with the policy's windows, as the lifecycle does.
      const clocks =
        s.type === 'approve' || s.type === 'reopen'
          ? startClocks(T0 + s.atHours * H, t.app.deadlinePolicy.forCategory('refund-pending'))
          : {};
      tx.update(complaints)
        .set({ status: to, ...clocks })
        .where(eq(complaints.id, id))
        .run();
      tx.insert(complaintEvents)
        .values({
          complaintId: id,
          type: s.type,
          actorRole: s.by,
          actorId: null,
          body: s.type === 'reply' ? '已收到' : null,
          status: to,
          data: s.rating ? { rating: { attitude: s.rating[0], speed: s.rating[1], satisfaction: s.rating[2] } } : null,
          internal: false,
          createdAt: T0 + s.atHours * H,
        })
        .run();
      t.app.complaintHooks.run(
        tx,
        { actor: null, clock: t.clock },
        { complaintId: id, event: s.type, from: before.status, to },
      );
    });
  }
}

const fwd: Step = { type: 'approve', by: 'admin', atHours: 0, status: 'forwarded' };
const reply = (h: number, status = 'in_progress'): Step => ({
  type: 'reply',
  by: 'provider_staff',
  atHours: h,
  status,
});
const propose = (h: number): Step => ({
  type: 'propose_resolution',
  by: 'provider_staff',
  atHours: h,
  status: 'awaiting_consumer',
});
const confirm = (h: number, rating: number[]): Step => ({
  type: 'confirm',
  by: 'consumer',
  atHours: h,
  status: 'resolved',
  rating,
});

async function file(c: Client, overrides: Record<string, unknown> = {}) {
  return (await fileComplaint(c, { provider: 'icbc-wallet', ...overrides })).id;
}

describe('scorecard arithmetic', () => {
  /** Seven filings: six forwarded with varied outcomes, one never approved. Figures per set are in the comments. */
  async function sevenCases(c: Client) {
    const [a, b, cc, d, e, f, g] = [
      await file(c),
      await file(c),
      await file(c),
      await file(c),
      await file(c),
      await file(c),
      await file(c, { consent: 'private' }),
    ];
    history(a, [fwd, reply(2), propose(10), confirm(20, [5, 4, 3])]);
    history(b, [
      fwd,
      reply(30),
      propose(40),
      { type: 'auto_close', by: 'system', atHours: 200, status: 'closed_unconfirmed' },
    ]);
    history(cc, [
      fwd,
      { type: 'first_response_breached', by: 'system', atHours: 24 },
      { type: 'close_unresolved', by: 'admin', atHours: 72, status: 'closed_unresolved' },
    ]);
    history(d, [fwd, { type: 'request_info', by: 'provider_staff', atHours: 5, status: 'awaiting_consumer' }]);
    history(e, [fwd, reply(1), { type: 'withdraw', by: 'consumer', atHours: 3, status: 'withdrawn' }]);
    void f; // filed, never approved: not a complaint against the provider yet
    history(g, [fwd, reply(3), propose(4), confirm(6, [2, 2, 2])]);
    // A note is internal and is not an answer; a reply by someone other than the provider's staff is not either.
    history(d, [{ type: 'note', by: 'provider_staff', atHours: 1 }]);
  }

  it('withholds every figure with fewer than 10 cases behind it, and still shows its n', async () => {
    await sevenCases(await consumer(t.app));
    const card = (await new Client(t.app).get('/api/v1/providers/icbc-wallet/scorecard')).json();
    expect(card).toMatchObject({
      complaints: 6,
      replyRate: null,
      onTimeFirstResponseRate: null,
      medianFirstResponseHours: null,
      confirmedResolutionRate: null,
      averageRating: null,
      minimumSample: 10,
      counts: { replied: 5, firstResponseDecided: 6, firstResponseOnTime: 4, finished: 4, resolved: 2, rated: 2 },
      figures: {
        replyRate: { rate: null, n: 6, low: null, high: null },
        onTimeFirstResponseRate: { rate: null, n: 6 },
        confirmedResolutionRate: { rate: null, n: 4 },
        medianFirstResponseHours: { n: 5 },
        averageRating: { n: 2 },
      },
    });
    expect(card.trend.at(-1)).toMatchObject({
      month: '2026-11',
      complaints: 6,
      confirmedResolutionRate: null,
      finished: 4,
      thin: true,
    });
    const page = await new Client(t.app).get('/providers/icbc-wallet', { accept: 'text/html' });
    expect(page.body).toMatch(/data-figure="confirmedResolutionRate" class="thin">样本不足/);
    expect(page.body).toContain('仅 4 件，少于 10 件不计算比率');
    expect(page.body).toMatch(/data-figure="averageRating">样本不足/);
    expect(page.body).toContain('data-thin="true"');
    expect(page.body).toContain('已结束 4 件，样本不足');
  });

  it('computes every figure from the events with its Wilson range, and closed_unconfirmed is not resolved', async () => {
    const c = await consumer(t.app);
    for (let i = 0; i < 5; i++) await sevenCases(c);

    const card = (await new Client(t.app).get('/api/v1/providers/icbc-wallet/scorecard')).json();
    expect(card).toMatchObject({
      complaints: 30,
      replyRate: 0.833, // a, b, d, e, g answered; c never did (25 of 30)
      onTimeFirstResponseRate: 0.667, // a 2 h, d 5 h, e 1 h, g 3 h of six decided; b came at 30 h, c breached (20 of 30)
      medianFirstResponseHours: 3, // 1, 2, 3, 5, 30 five times
      confirmedResolutionRate: 0.5, // a and g of a, b (closed_unconfirmed), c (closed_unresolved), g; withdrawn e is not judged
      averageRating: 3, // (5+4+3 + 2+2+2) / 6, ten ratings
      counts: { replied: 25, firstResponseDecided: 30, firstResponseOnTime: 20, finished: 20, resolved: 10, rated: 10 },
      // Wilson 95%: 25/30 -> 0.664–0.927; 10/20 -> 0.299–0.701.
      figures: {
        replyRate: { rate: 0.833, n: 30, low: 0.664, high: 0.927 },
        confirmedResolutionRate: { rate: 0.5, n: 20, low: 0.299, high: 0.701 },
      },
    });
    expect(card.trend).toHaveLength(12);
    expect(card.trend.at(-1)).toMatchObject({
      month: '2026-11',
      complaints: 30,
      confirmedResolutionRate: 0.5,
      finished: 20,
      thin: false,
    });
    const page = await new Client(t.app).get('/providers/icbc-wallet', { accept: 'text/html' });
    expect(page.body).toMatch(/data-figure="replyRate">83%/);
    expect(page.body).toContain('95% 区间 66%–93% · 30 件');
    expect(card.trend.slice(0, 11).every((m: { complaints: number }) => m.complaints === 0)).toBe(true);
    expect(card.definitions.confirmedResolutionRate).toContain('未确认而关闭的不算解决');
  });

  it('follows a case back and forth: a reopened case is no longer resolved, a confirmation makes it so again', async () => {
    const c = await consumer(t.app);
    const id = await file(c);
    const counts = async () => (await new Client(t.app).get('/api/v1/providers/icbc-wallet/scorecard')).json().counts;
    history(id, [fwd, reply(2), propose(3), confirm(4, [4, 4, 4])]);
    expect(await counts()).toMatchObject({ finished: 1, resolved: 1, rated: 1 });
    history(id, [{ type: 'reopen', by: 'consumer', atHours: 30, status: 'forwarded' }]);
    expect(await counts()).toMatchObject({ finished: 0, resolved: 0, rated: 0, replied: 1 });
    history(id, [propose(31), confirm(32, [2, 2, 2])]);
    expect(await counts()).toMatchObject({ finished: 1, resolved: 1, rated: 1, replied: 1 });
    const hist = t.app.sqlite.prepare('SELECT tenths, n FROM provider_response_hist WHERE n > 0').all();
    expect(hist).toEqual([{ tenths: 20, n: 1 }]); // the first answer (2 h) stays the first-response time
  });

  it('keeps running sums equal to a full recount after many changes', async () => {
    const c = await consumer(t.app);
    const ids = [];
    for (let i = 0; i < 8; i++) ids.push(await file(c, { provider: i % 2 ? 'alipay' : 'wechat-pay' }));
    for (const [i, id] of ids.entries())
      history(id, [fwd, reply(i), propose(i + 1), ...(i % 3 === 0 ? [confirm(i + 2, [(i % 5) + 1, 3, 4])] : [])]);
    history(ids[0], [{ type: 'reopen', by: 'consumer', atHours: 50, status: 'forwarded' }]);
    history(ids[1], [{ type: 'close_unresolved', by: 'admin', atHours: 60, status: 'closed_unresolved' }]);
    const dump = () => ({
      months: t.app.sqlite
        .prepare(
          'SELECT * FROM provider_month_stats WHERE complaints + replied + finished + rating_parts > 0 ORDER BY provider_id, month',
        )
        .all(),
      hist: t.app.sqlite
        .prepare('SELECT * FROM provider_response_hist WHERE n > 0 ORDER BY provider_id, month, tenths')
        .all(),
    });
    const running = dump();
    t.app.db.transaction((tx) => rebuildAggregates(tx));
    expect(dump()).toEqual(running);
    expect(running.months.length).toBe(2);
  });

  it('computes the 95% Wilson interval and withholds rates below 10 cases', () => {
    expect(rateFigure(0, 10)).toEqual({ rate: 0, n: 10, low: 0, high: 0.278 });
    expect(rateFigure(10, 10)).toEqual({ rate: 1, n: 10, low: 0.722, high: 1 });
    expect(rateFigure(50, 100)).toEqual({ rate: 0.5, n: 100, low: 0.404, high: 0.596 });
    expect(rateFigure(9, 9)).toEqual({ rate: null, n: 9, low: null, high: null });
    expect(rateDetail(rateFigure(228_236, 285_295))).toBe('95% 区间 79.9%–80.1% · 285,295 件'); // narrow: one decimal
    expect(rateDetail(rateFigure(25, 30))).toBe('95% 区间 66%–93% · 30 件');
    expect(rateDetail(rateFigure(3, 4))).toBe('仅 4 件，少于 10 件不计算比率');
    expect(rateFigure(0, 0)).toEqual({ rate: null, n: 0, low: null, high: null });
  });

  it('takes the median of a histogram of tenths of an hour', () => {
    expect(medianOfHistogram([])).toBeNull();
    expect(medianOfHistogram([{ tenths: 15, n: 1 }])).toBe(1.5);
    expect(
      medianOfHistogram([
        { tenths: 10, n: 1 },
        { tenths: 20, n: 1 },
      ]),
    ).toBe(1.5);
    expect(
      medianOfHistogram([
        { tenths: 10, n: 2 },
        { tenths: 300, n: 1 },
      ]),
    ).toBe(1);
  });

  it('answers 404 for an unknown provider and shows the figures with their definitions on the page', async () => {
    expect((await new Client(t.app).get('/api/v1/providers/no-such/scorecard')).statusCode).toBe(404);
    const c = await consumer(t.app);
    history(await file(c), [fwd, reply(2), propose(10), confirm(20, [5, 5, 5])]);
    const page = await new Client(t.app).get('/providers/icbc-wallet', { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/data-figure="confirmedResolutionRate" class="thin">样本不足/);
    expect(page.body).toContain('<svg class="trend"');
    expect(page.body).toContain('确认解决率：已结束的投诉');
    expect(page.body).toContain('95105105');
    const list = await new Client(t.app).get('/providers', { accept: 'text/html' });
    expect(list.body).toMatch(
      /工商银行数字钱包[\s\S]*?<td data-label="投诉量">1<\/td><td data-label="回复率">样本不足<\/td><td data-label="确认解决率">样本不足<\/td>/,
    );
  });
});
