// Moderators see what the public would see before approving, can correct it first, and can approve without
// publishing (held until they republish): approval no longer publishes text nobody has looked at.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn } from '../helpers/lifecycle.ts';

let t: TestApp;
afterEach(async () => t?.close());

const PHONE = '13912345678';
const filed = { description: `客服让我打 ${PHONE} 联系，之后账户被冻结，余额 300 元无法提现，至今没有解冻。` };

describe('the queue shows the public text before approval', () => {
  it('puts the anonymised preview beside the original, with the way to correct it', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'submitted', filed);
    const html = (await who.admin.get('/admin/queue')).body;
    const item = html.slice(html.indexOf(`id="complaint-${id}"`));
    const preview = item.slice(
      item.indexOf(`id="preview-${id}"`),
      item.indexOf('</section>', item.indexOf(`id="preview-${id}"`)),
    );
    expect(item).toContain(PHONE); // the original, for the moderator
    expect(preview).not.toContain(PHONE);
    expect(preview).toContain('[手机号]');
    expect(preview).toContain(`/admin/cases/${id}/publication`);
    expect(item).toContain('name="hold"');
  });

  it('offers neither preview nor hold for a complaint that will not be public', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'submitted', { ...filed, consent: 'private' });
    const html = (await who.admin.get('/admin/queue')).body;
    const item = html.slice(html.indexOf(`id="complaint-${id}"`));
    expect(item).not.toContain(`id="preview-${id}"`);
    expect(item.slice(0, item.indexOf('</article>'))).not.toContain('name="hold"');
  });
});

describe('approving without publishing', () => {
  it('forwards the complaint but keeps it off the board until the moderator republishes it', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'submitted', filed);
    const res = await who.admin.form(`/admin/queue/${id}/events`, { type: 'approve', hold: '1' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/cases/${id}/publication?done=held`);
    expect((await who.consumer.get(`/api/v1/complaints/${id}`)).json().status).toBe('forwarded');
    expect((await t.app.inject({ url: `/api/v1/cases/${id}` })).statusCode).toBe(404);
    expect((await who.admin.get(`/admin/cases/${id}/publication?done=held`)).body).toContain('id="held-notice"');

    const edit = await who.admin.form(`/admin/cases/${id}/publication`, {
      type: 'public_edit',
      field: 'title',
      text: '账户被冻结后余额无法提现',
    });
    expect(edit.statusCode).toBe(303);
    expect((await t.app.inject({ url: `/api/v1/cases/${id}` })).statusCode).toBe(404);
    await who.admin.form(`/admin/cases/${id}/publication`, { type: 'republish' });
    const pub = await t.app.inject({ url: `/api/v1/cases/${id}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().title).toBe('账户被冻结后余额无法提现');
  });

  it('publishes at once when not held, as before', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'submitted', filed);
    await who.admin.form(`/admin/queue/${id}/events`, { type: 'approve' });
    expect((await t.app.inject({ url: `/api/v1/cases/${id}` })).statusCode).toBe(200);
  });

  it('lets the moderator correct the public text while the complaint is still under review', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'submitted', filed);
    const page = (await who.admin.get(`/admin/cases/${id}/publication`)).body;
    expect(page).toContain('id="before-approval"');
    expect(page).toContain('[手机号]');
    const edit = await who.admin.form(`/admin/cases/${id}/publication`, {
      type: 'public_edit',
      field: 'description',
      text: '账户被冻结，余额无法提现。',
    });
    expect(edit.statusCode).toBe(303);
    await who.admin.form(`/admin/queue/${id}/events`, { type: 'approve' });
    expect((await t.app.inject({ url: `/api/v1/cases/${id}` })).json().description).toBe('账户被冻结，余额无法提现。');
  });

  it('refuses to hold twice or to hold a private complaint', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'submitted', filed);
    const hold = () => who.admin.form(`/admin/cases/${id}/publication`, { type: 'unpublish', reason: '先核对' });
    expect((await hold()).statusCode).toBe(303);
    expect((await hold()).statusCode).toBe(409);
    const priv = await complaintIn(who, 'submitted', { ...filed, consent: 'private' });
    const res = await who.admin.form(`/admin/cases/${priv}/publication`, { type: 'unpublish', reason: '先核对' });
    expect(res.statusCode).toBe(409);
  });
});

describe('the complaint page', () => {
  it('links admins to the publication page', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    expect((await who.admin.get(`/complaints/${id}`)).body).toContain(`href="/admin/cases/${id}/publication"`);
    expect((await who.consumer.get(`/complaints/${id}`)).body).not.toContain(`/admin/cases/${id}/publication`);
  });
});
