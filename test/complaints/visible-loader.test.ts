// visibleLoader (prepared once, placeholders for the person) must admit exactly what a select built by scoped() on
// every call admits: every role, a case before and after forwarding, missing and malformed ids.
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Actor } from '../../server/lib/ctx.ts';
import { NotFound } from '../../server/lib/errors.ts';
import { providers } from '../../server/modules/providers/schema.ts';
import { complaints } from '../../server/modules/complaints/schema.ts';
import { scoped, visibleLoader } from '../../server/modules/complaints/scope.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn } from '../helpers/lifecycle.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const person = (role: Actor['role'], id: number, providerId: number | null = null): Actor => ({
  role,
  id,
  providerId,
  email: `${role}${id}@example.com`,
  displayName: role,
});

/** The rule as every other query applies it, built on each call. */
function loadVisible(actor: Actor | null, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound('找不到该投诉');
  const row = t.app.db
    .select({ complaint: complaints, provider: providers })
    .from(complaints)
    .innerJoin(providers, eq(providers.id, complaints.providerId))
    .where(scoped(actor, eq(complaints.id, id)))
    .get();
  if (!row) throw new NotFound('找不到该投诉');
  return row;
}

const outcome = (f: () => { complaint: { id: number }; provider: { id: number } }) => {
  try {
    const r = f();
    return { complaint: r.complaint, provider: r.provider };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

it('admits exactly what the per-call scoped() select admits, for every kind of actor and id', async () => {
  const who = await cast(t.app);
  const underReview = await complaintIn(who, 'submitted');
  const forwarded = await complaintIn(who, 'in_progress');
  const alipay = t.app.providers.bySlug('alipay')!.id;
  const wechat = t.app.providers.bySlug('wechat-pay')!.id;
  const actors: (Actor | null)[] = [
    null,
    person('admin', 1),
    person('consumer', who.consumer.userId),
    person('consumer', who.consumer.userId + 1000),
    person('provider_staff', 77, alipay),
    person('provider_staff', 78, wechat),
    person('provider_staff', 79, null),
  ];
  const load = visibleLoader(t.app.db);
  let admitted = 0;
  for (const actor of actors)
    for (const id of [underReview, forwarded, 999_999, 0, -1, 1.5, Number.NaN]) {
      const expected = outcome(() => loadVisible(actor, id));
      expect(
        outcome(() => load(actor, id)),
        `${actor?.role ?? 'anonymous'} ${actor?.providerId ?? ''} #${id}`,
      ).toEqual(expected);
      if (!('error' in expected)) admitted++;
    }
  // admin: both; the owner: both; alipay's staff: the forwarded one only.
  expect(admitted).toBe(5);
});

it('runs inside an open transaction and sees its writes', async () => {
  const who = await cast(t.app);
  const id = await complaintIn(who, 'submitted');
  const load = visibleLoader(t.app.db);
  const admin = person('admin', 1);
  expect(() =>
    t.app.db.transaction((tx) => {
      tx.run(sql`UPDATE complaints SET title = ${'事务中改的标题'} WHERE id = ${id}`);
      expect(load(admin, id).complaint.title).toBe('事务中改的标题');
      tx.rollback();
    }),
  ).toThrow('Rollback');
  expect(load(admin, id).complaint.title).not.toBe('事务中改的标题');
});
