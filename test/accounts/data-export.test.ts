// GET /api/v1/me/export and its download on /me/data: everything held about the signed-in account, nobody else's.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, complaintInput, consumer, fileComplaint, staff } from '../helpers/factories.ts';
import { png } from '../helpers/files.ts';
import { mustAct, RATING } from '../helpers/lifecycle.ts';

/** The filing fields as a multipart form sends them: every value a string. */
const asFields = (o: Record<string, unknown>): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('exporting one’s data', () => {
  it('holds the profile, complaints with timelines, attachment links, ratings, mails sent and sessions', async () => {
    t = await makeApp();
    const { app } = t;
    const a = await admin(app);
    const s = await staff(app, 'alipay', a);
    const me = await consumer(app, { realName: '诸葛青', displayName: '青青' });
    const other = await consumer(app, { displayName: '路人甲' });
    const filed = await me.multipart(
      '/api/v1/complaints',
      asFields({ ...complaintInput({ transactionRef: 'TX-EXPORT-0001' }), demands: ['refund'] }),
      [{ filename: '截图.png', data: png(), type: 'image/png' }],
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as number;
    await mustAct(a, id, 'approve');
    await mustAct(s, id, 'propose_resolution', { body: '已退款。' });
    await mustAct(me, id, 'confirm', { rating: RATING });
    await fileComplaint(other, { description: '别人的投诉内容：扫码付款后商家一直没有收到钱，不应出现在我的导出里。' });
    await app.outbox.drain();

    const res = await me.get('/api/v1/me/export');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    const data = res.json();
    expect(data.profile).toMatchObject({
      id: me.userId,
      email: me.email,
      displayName: '青青',
      realName: '诸葛青',
      phone: null,
      role: 'consumer',
      emailVerified: false,
      twoFactor: false,
      notifyPrefs: {},
    });
    expect(data.complaints).toHaveLength(1);
    // The same private view as GET /api/v1/complaints/:id.
    const view = (await me.get(`/api/v1/complaints/${id}`)).json();
    expect(data.complaints[0]).toEqual(view);
    expect(data.complaints[0].transactionRef).toBe('TX-EXPORT-0001');
    expect(data.complaints[0].timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['submitted', 'approve', 'propose_resolution', 'confirm']),
    );
    // Attachments with a link that downloads for the owner (and nobody else).
    expect(data.attachments).toHaveLength(1);
    const link = new URL(data.attachments[0].url);
    expect(link.origin).toBe(new URL(app.config.publicUrl).origin);
    expect(data.attachments[0]).toMatchObject({ complaintId: id, name: '截图.png', mime: 'image/png' });
    expect((await me.get(link.pathname)).statusCode).toBe(200);
    expect((await other.get(link.pathname)).statusCode).toBe(404);
    expect(data.ratings).toEqual([expect.objectContaining({ complaintId: id, ...RATING })]);
    // The mails sent to this account: the approval and the proposal, with their subjects and status.
    const kinds = data.notifications.map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['approved', 'provider_proposal']));
    expect(data.notifications.every((n: { status: string }) => n.status === 'done')).toBe(true);
    expect(data.notifications[0].subject).toContain('【钱包投诉台】');
    // The sessions, the asking one marked, and no secret of any.
    expect(data.sessions).toEqual([expect.objectContaining({ current: true })]);
    expect(Object.keys(data.sessions[0]).sort()).toEqual([
      'createdAt',
      'current',
      'expiresAt',
      'lastSeenAt',
      'userAgent',
    ]);
    // Nothing of anyone else.
    expect(res.body).not.toContain('别人的投诉内容');
    expect(res.body).not.toContain(other.email);
  });

  it('is downloaded from /me/data as a dated JSON file', async () => {
    t = await makeApp();
    const me = await consumer(t.app, { displayName: '青青' });
    await fileComplaint(me);
    const res = await me.get('/me/data/export.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    // T0 is 2026-11-02 in China time.
    expect(res.headers['content-disposition']).toBe('attachment; filename="wallet-complaints-export-2026-11-02.json"');
    const file = JSON.parse(res.body);
    expect(file.profile.email).toBe(me.email);
    expect(file.complaints).toHaveLength(1);
    expect(file).toEqual((await me.get('/api/v1/me/export')).json());
  });

  it('needs a session: 401 for the API, the login page for the download', async () => {
    t = await makeApp();
    const anon = new Client(t.app);
    const api = await anon.get('/api/v1/me/export');
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe('UNAUTHENTICATED');
    const page = await anon.get('/me/data/export.json');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fme%2Fdata%2Fexport.json');
  });

  it('gives staff their profile and sessions, and no complaint of their provider', async () => {
    t = await makeApp();
    const { app } = t;
    const a = await admin(app);
    const s = await staff(app, 'alipay', a);
    const c = await consumer(app);
    const { id } = await fileComplaint(c);
    await mustAct(a, id, 'approve');
    const data = (await s.get('/api/v1/me/export')).json();
    expect(data.profile).toMatchObject({ email: s.email, role: 'provider_staff' });
    expect(data.complaints).toEqual([]);
    expect(data.sessions).toHaveLength(1);
  });
});
