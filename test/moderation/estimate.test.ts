// After filing, the consumer is told how long review usually takes: the queue now and the median time from filing
// to decision over the recent decisions, computed from the timeline (not a number written into a template).
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, HOUR, mustAct } from '../helpers/lifecycle.ts';
import { fileComplaint } from '../helpers/factories.ts';
import { moderationWaitLine, waitText } from '../../server/modules/moderation/view-model.ts';

let t: TestApp;
afterEach(async () => t?.close());

describe('the review estimate', () => {
  it('says review will come soon while there is no history', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'submitted');
    const html = (await who.consumer.get(`/complaints/${id}?filed=1`)).body;
    expect(html).toContain('id="moderation-wait"');
    expect(html).toContain('平台会尽快审核');
  });

  it('states the median review time of recent decisions and the queue', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    // Six complaints decided 3 hours after filing each.
    for (let i = 0; i < 6; i++) {
      const { id } = await fileComplaint(who.consumer);
      t.clock.advance(3 * HOUR);
      await mustAct(who.admin, id, 'approve');
    }
    t.clock.advance(10 * 60_000); // past the estimate's cache
    const mine = await complaintIn(who, 'submitted');
    const html = (await who.consumer.get(`/complaints/${mine}`)).body;
    expect(html).toContain('最近 6 件投诉从提交到审核完成的中位时间为约 3 小时');
    // Staff and admins do not get the consumer's line; a forwarded complaint no longer shows it.
    expect((await who.admin.get(`/complaints/${mine}`)).body).not.toContain('id="moderation-wait"');
    await mustAct(who.admin, mine, 'approve');
    expect((await who.consumer.get(`/complaints/${mine}`)).body).not.toContain('id="moderation-wait"');
  });

  it('words waits and queues', () => {
    expect(waitText(20 * 60_000)).toBe('1 小时内');
    expect(waitText(5 * HOUR)).toBe('约 5 小时');
    expect(waitText(60 * HOUR)).toBe('约 3 天');
    expect(moderationWaitLine({ queued: 1200, medianMs: 2 * HOUR, decisions: 200 })).toBe(
      '目前共有 1,200 件投诉等待审核。最近 200 件投诉从提交到审核完成的中位时间为约 2 小时；审核结果会发邮件通知你。',
    );
  });
});
