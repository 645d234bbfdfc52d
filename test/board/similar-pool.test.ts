// The similar panel of a public case keeps its pool (which cases, in which order) for a minute once the panel is asked
// a second time, but never shows what is no longer public and always shows each case's current status: a takedown and
// a status change show at once; a newly published case joins the panel once the pool expires.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LIVE_SQL, OUTCOME_SQL, SIMILAR_POOL_TTL_MS } from '../../server/modules/board/reader.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { actors, type Actors, drain, mustAct, publishedCase, staffFor } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Actors;
beforeEach(async () => {
  t = await makeApp();
  who = await actors(t);
});
afterEach(async () => {
  await t.close();
});

const freeze = {
  provider: 'wechat-pay',
  category: 'account-frozen',
  title: '微信零钱被冻结无法提现',
  description: '微信零钱账户突然被冻结，客服说风控，无法提现，已经三天了。',
};

/** Two published cases alike enough to be each other's similar cases, and an anonymous reader's similar panel. */
async function twoLikeCases() {
  const a = await publishedCase(t, who, freeze);
  const b = await publishedCase(t, who, { ...freeze, title: '零钱冻结了提现不了' });
  await drain(t);
  const anon = new Client(t.app);
  const similarOf = async (id: number) =>
    (await anon.get(`/api/v1/cases/${id}/similar`)).json() as { items: { id: number; status: string }[] };
  return { a, b, similarOf };
}

it('keeps the pool of a case page but re-reads what is public and each status on every answer', async () => {
  const { a, b, similarOf } = await twoLikeCases();

  const first = await similarOf(a.id);
  expect(first.items.map((i) => i.id)).toEqual([b.id]);
  expect(first.items[0].status).toBe('forwarded');

  // A status change shows at once, though the pool is kept.
  await mustAct(await staffFor(t, who, 'wechat-pay'), b.id, 'reply', { body: '已收到，正在核实' });
  expect((await similarOf(a.id)).items[0].status).toBe('in_progress');

  // A newly published case waits for the pool to expire…
  const c = await publishedCase(t, who, { ...freeze, title: '零钱被冻结客服不处理' });
  await drain(t);
  expect((await similarOf(a.id)).items.map((i) => i.id)).toEqual([b.id]);
  t.clock.advance(SIMILAR_POOL_TTL_MS);
  expect((await similarOf(a.id)).items.map((i) => i.id).sort()).toEqual([b.id, c.id].sort());

  // …but a takedown is gone from the panel immediately, before any expiry or index catch-up.
  expect(
    (await who.admin.post(`/api/v1/complaints/${b.id}/events`, { type: 'unpublish', reason: '含有未脱敏的信息' }))
      .statusCode,
  ).toBe(200);
  expect((await similarOf(a.id)).items.map((i) => i.id)).toEqual([c.id]);
});

it('keeps a pool from the second time its panel is asked within the lifetime of a pool, not from the first', async () => {
  const { a, b, similarOf } = await twoLikeCases();
  const similarIds = async (id: number) => (await similarOf(id)).items.map((i) => i.id).sort();
  expect(await similarIds(a.id)).toEqual([b.id]);
  // Asked once: nothing was kept, so a case published since is in the next answer.
  const c = await publishedCase(t, who, { ...freeze, title: '零钱被冻结客服不处理' });
  await drain(t);
  expect(await similarIds(a.id)).toEqual([b.id, c.id].sort());
  // Asked twice: that answer's pool is kept for its lifetime.
  const d = await publishedCase(t, who, { ...freeze, title: '零钱冻结三天客服说风控' });
  await drain(t);
  expect(await similarIds(a.id)).toEqual([b.id, c.id].sort());
  t.clock.advance(SIMILAR_POOL_TTL_MS);
  expect(await similarIds(a.id)).toEqual([b.id, c.id, d.id].sort());
});

it('reads what is public and each outcome from the covering outcome index, not the table rows', async () => {
  const a = await publishedCase(t, who, freeze);
  const plan = (sql: string) =>
    (t.app.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(JSON.stringify([a.id])) as { detail: string }[])
      .map((r) => r.detail)
      .join('; ');
  expect(plan(LIVE_SQL)).toContain('USING COVERING INDEX public_cases_outcome_idx');
  expect(plan(OUTCOME_SQL)).toContain('USING COVERING INDEX public_cases_outcome_idx');
  // The same answer as the table's own row.
  const fromIndex = t.app.sqlite.prepare(OUTCOME_SQL).all(JSON.stringify([a.id, 999_999]));
  const fromTable = t.app.sqlite
    .prepare(`SELECT complaint_id AS id, status, overdue, resolved, refunded, resolution_days AS days
      FROM public_cases NOT INDEXED WHERE complaint_id = ?`)
    .all(a.id);
  expect(fromIndex).toEqual(fromTable);
  expect(fromIndex).toHaveLength(1);
  expect(
    t.app.sqlite
      .prepare(LIVE_SQL)
      .pluck()
      .all(JSON.stringify([a.id, 999_999])),
  ).toEqual([a.id]);
});
