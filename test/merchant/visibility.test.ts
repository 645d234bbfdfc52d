// Provider staff see what was forwarded to them, and only that: visibility is the stored fact of forwarding, never
// inferred from the current status. Every path into every status, checked on the inbox, the API, the pages and the
// attachments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { png } from '../helpers/files.ts';
import { cast, mustAct, RATING, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
const html = { accept: 'text/html' };

/** Files a complaint against alipay with a screenshot; returns its id and the attachment's URL (from the consumer). */
async function withAttachment(title: string): Promise<{ id: number; file: string }> {
  const res = await who.consumer.multipart(
    '/api/v1/complaints',
    {
      provider: 'alipay',
      category: 'refund-pending',
      title,
      description: '退款申请已经超过十天仍未到账，截图见附件。',
      demands: 'refund',
      consent: 'public',
    },
    [{ filename: '截图.png', data: png(), type: 'image/png' }],
  );
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as number;
  const file = (await who.consumer.get(`/api/v1/complaints/${id}`)).json().attachments[0].url as string;
  return { id, file };
}

const PATHS: Record<string, { visible: boolean; walk: (id: number) => Promise<void> }> = {
  'under review': { visible: false, walk: async () => {} },
  'withdrawn while under review': {
    visible: false,
    walk: async (id) => {
      await mustAct(who.consumer, id, 'withdraw');
    },
  },
  rejected: {
    visible: false,
    walk: async (id) => {
      await mustAct(who.admin, id, 'reject', { reason: '请补充交易时间' });
    },
  },
  'rejected, edited and resubmitted': {
    visible: false,
    walk: async (id) => {
      await mustAct(who.admin, id, 'reject', { reason: '请补充交易时间' });
      const res = await who.consumer.form(`/complaints/${id}/edit`, {
        provider: 'alipay',
        category: 'refund-pending',
        title: '退款未到账（已补充时间）',
        description: '11 月 1 日申请退款，超过十天仍未到账，截图见附件。',
        demands: 'refund',
        consent: 'public',
      });
      expect(res.statusCode, res.body).toBe(303);
      expect((await who.consumer.get(`/api/v1/complaints/${id}`)).json().status).toBe('submitted');
    },
  },
  'rejected, resubmitted, then withdrawn': {
    visible: false,
    walk: async (id) => {
      await mustAct(who.admin, id, 'reject', { reason: '请补充交易时间' });
      await who.consumer.form(`/complaints/${id}/edit`, {
        provider: 'alipay',
        category: 'refund-pending',
        title: '退款未到账（已补充）',
        description: '11 月 1 日申请退款，超过十天仍未到账，截图见附件。',
        demands: 'refund',
        consent: 'public',
      });
      await mustAct(who.consumer, id, 'withdraw');
    },
  },
  forwarded: {
    visible: true,
    walk: async (id) => {
      await mustAct(who.admin, id, 'approve');
    },
  },
  'withdrawn after forwarding': {
    visible: true,
    walk: async (id) => {
      await mustAct(who.admin, id, 'approve');
      await mustAct(who.consumer, id, 'withdraw');
    },
  },
  'resolved, then reopened': {
    visible: true,
    walk: async (id) => {
      await mustAct(who.admin, id, 'approve');
      await mustAct(who.staff, id, 'propose_resolution', { body: '已全额退款。' });
      await mustAct(who.consumer, id, 'confirm', { rating: RATING });
      await mustAct(who.consumer, id, 'reopen', { body: '钱又被扣回去了。' });
    },
  },
  'taken down from the board': {
    visible: true,
    walk: async (id) => {
      await mustAct(who.admin, id, 'approve');
      await mustAct(who.admin, id, 'unpublish', { reason: '含有未打码的个人信息' });
    },
  },
};

const cases: Record<string, { id: number; file: string }> = {};

beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
  for (const [name, path] of Object.entries(PATHS)) {
    cases[name] = await withAttachment(`路径：${name}`);
    await path.walk(cases[name].id);
  }
});
afterAll(async () => {
  await t.close();
});

describe('provider staff visibility', () => {
  it.each(Object.entries(PATHS))('%s', async (name, path) => {
    const { id, file } = cases[name];
    const code = path.visible ? 200 : 404;
    expect((await who.staff.get(`/api/v1/complaints/${id}`)).statusCode).toBe(code);
    expect((await who.staff.get(`/merchant/complaints/${id}`, html)).statusCode).toBe(code);
    expect((await who.staff.get(`/complaints/${id}`, html)).statusCode).toBe(code);
    expect((await who.staff.get(file)).statusCode).toBe(code);
    // Another provider's staff never see it, whatever the path.
    expect((await who.otherStaff.get(`/api/v1/complaints/${id}`)).statusCode).toBe(404);
    expect((await who.otherStaff.get(file)).statusCode).toBe(404);
  });

  it('the inbox lists and counts exactly the forwarded ones', async () => {
    const expected = Object.entries(PATHS)
      .filter(([, p]) => p.visible)
      .map(([name]) => cases[name].id)
      .sort((a, b) => a - b);
    const inbox = (await who.staff.get('/api/v1/merchant/complaints?tab=all')).json();
    expect(inbox.items.map((i: { id: number }) => i.id).sort((a: number, b: number) => a - b)).toEqual(expected);
    expect(inbox.total).toBe(expected.length);
    const page = (await who.staff.get('/merchant?tab=all', html)).body;
    for (const [name, p] of Object.entries(PATHS)) {
      if (p.visible) expect(page).toContain(`路径：${name}`);
      else expect(page).not.toContain(`路径：${name}`);
    }
    expect((await who.otherStaff.get('/api/v1/merchant/complaints?tab=all')).json().total).toBe(0);
    // The maintained tab counts agree: the never-forwarded ones are counted nowhere.
    expect(inbox.counts.all).toBe(expected.length);
  });
});
