import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireActor, systemCtx } from '../server/lib/ctx.ts';
import { Unauthorized } from '../server/lib/errors.ts';
import { makeApp, type TestApp } from './helpers/app.ts';
import { complaintIn, cast, DAY } from './helpers/lifecycle.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

describe('the system actor', () => {
  it('is not a person: verbs that need one refuse it as they refuse an anonymous visitor', () => {
    expect(() => requireActor(systemCtx(t.clock))).toThrow(Unauthorized);
    expect(() => requireActor({ actor: null, clock: t.clock })).toThrow(Unauthorized);
  });

  it('reads no complaint through a person-scoped verb, though it writes the timeline as system', async () => {
    const who = await cast(t.app);
    const id = await complaintIn(who, 'awaiting_consumer');
    expect(() => t.app.complaints.detail(systemCtx(t.clock), id)).toThrow('找不到该投诉');
    t.clock.advance(8 * DAY);
    t.app.sla.tick();
    const rows = t.app.sqlite
      .prepare("SELECT actor_role, actor_id FROM complaint_events WHERE complaint_id = ? AND type = 'auto_close'")
      .all(id);
    expect(rows).toEqual([{ actor_role: 'system', actor_id: null }]);
  });
});
