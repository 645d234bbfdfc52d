// Every statement the inbox runs reads an index range in order: no full scan of complaints, no temporary B-tree
// for ORDER BY, for any tab, the next page, a reference lookup and a title search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, type Cast } from '../helpers/lifecycle.ts';
import { costlyPlanLines, planOf, recordingMerchant } from '../../server/modules/merchant/query-plans.ts';
import { DEFAULT_FILTERS, TABS, type InboxFilters } from '../../server/modules/merchant/input.ts';
import { systemClock } from '../../server/lib/clock.ts';

let t: TestApp;
let who: Cast;
beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
  for (const s of ['forwarded', 'in_progress', 'awaiting_consumer', 'resolved', 'withdrawn'])
    await complaintIn(who, s, { title: '账户冻结退款未到账' });
  await complaintIn(who, 'forwarded', { title: '账户冻结退款未到账' });
  t.app.sqlite.exec('ANALYZE');
});
afterAll(async () => {
  await t.close();
});

describe('inbox query plans', () => {
  it('use the inbox indexes for every tab, page, reference and title search', () => {
    const providerId = (t.app.sqlite.prepare("SELECT id FROM providers WHERE slug = 'alipay'").get() as { id: number })
      .id;
    const ctx = {
      actor: { id: 1, role: 'provider_staff' as const, email: 's@example.invalid', displayName: 's', providerId },
      clock: systemClock,
    };
    const { service, seen } = recordingMerchant(t.app.sqlite);
    const reference = (
      t.app.sqlite.prepare('SELECT reference FROM complaints WHERE provider_id = ? LIMIT 1').get(providerId) as {
        reference: string;
      }
    ).reference;
    const run = (f: Partial<InboxFilters>) => service.inbox(ctx, { ...DEFAULT_FILTERS, limit: 1, ...f });
    for (const tab of TABS) {
      const first = run({ tab });
      if (first.nextCursor) run({ tab, cursor: { tab, dir: 'next', ...decode(first.nextCursor) } });
    }
    run({ tab: 'all', q: reference });
    for (const tab of TABS) run({ tab, q: '退款' });
    const found = run({ tab: 'all', q: '冻结 退款' });
    expect(found.rows.length).toBe(1);
    run({ tab: 'all', q: '冻结', cursor: { tab: 'all', dir: 'next', ...decode(found.nextCursor!) } });
    expect(seen.length).toBeGreaterThan(20);
    for (const q of seen) {
      const plan = planOf(t.app.sqlite, q);
      expect({ sql: q.sql, costly: costlyPlanLines(plan) }).toEqual({ sql: q.sql, costly: [] });
    }
    const sqlText = seen.map((q) => q.sql).join('\n');
    expect(sqlText).not.toMatch(/offset|count\(/i);
  });
});

function decode(cursor: string) {
  const [, , key, id] = Buffer.from(cursor, 'base64url').toString().split('.');
  return { key: Number(key), id: Number(id) };
}
