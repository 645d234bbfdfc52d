// POST /api/v1/test/clock drives a breach end to end over HTTP: the scheduler wakes when the clock moves.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, T0, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';
import { cast, complaintIn, HOUR } from '../helpers/lifecycle.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp({ workers: true });
});
afterEach(async () => {
  await t.close();
});

describe('test clock route', () => {
  it('advancing the clock over HTTP breaches the first response; the consumer sees it and the escalation path', async () => {
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    const res = await new Client(t.app).post('/api/v1/test/clock', { advanceMs: 25 * HOUR });
    expect(res.statusCode).toBe(200);
    expect(res.json().now).toBe(new Date(T0 + 25 * HOUR).toISOString());
    const v = (await who.consumer.get(`/api/v1/complaints/${id}`)).json();
    expect(v.deadlines).toMatchObject({
      firstResponseBreachedAt: new Date(T0 + 24 * HOUR).toISOString(),
      overdue: true,
    });
    expect(v.timeline.map((e: { type: string }) => e.type)).toContain('first_response_breached');
    const page = (await who.consumer.get(`/complaints/${id}`, { accept: 'text/html' })).body;
    expect(page).toContain('机构未按时处理');
    expect(page).toContain('12378');
    const inbox = (await who.staff.get('/api/v1/merchant/complaints?overdue=1')).json();
    expect(inbox.items.map((i: { id: number }) => i.id)).toEqual([id]);
  });

  it('does not exist without TEST_CLOCK', async () => {
    const plain = await buildApp(
      testConfig({ testClock: false, dataDir: t.dataDir, uploadDir: `${t.dataDir}/uploads` }),
    );
    try {
      expect((await new Client(plain).post('/api/v1/test/clock', { advanceMs: 1000 })).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
