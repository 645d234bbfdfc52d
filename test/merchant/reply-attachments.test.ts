// Provider staff attach a refund receipt or a statement to a reply or a proposal: stored like the consumer's files
// (sniffed, size-capped, metadata stripped), visible to the consumer, the provider and admins, never public; files on
// any other event are refused beside the field.
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn } from '../helpers/lifecycle.ts';
import { exe, pdf, png } from '../helpers/files.ts';

let t: TestApp;
afterEach(async () => t?.close());

describe('staff attachments', () => {
  it('a reply carries a receipt the consumer can open and the public never sees', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    const res = await who.staff.multipart(
      `/merchant/complaints/${id}/events`,
      { type: 'reply', body: '已退款，请查收附件。' },
      [{ filename: '退款凭证.pdf', data: pdf(), type: 'application/pdf' }],
    );
    expect(res.statusCode).toBe(303);
    const view = (await who.consumer.get(`/api/v1/complaints/${id}`)).json();
    expect(view.attachments).toHaveLength(1);
    expect(view.attachments[0]).toMatchObject({ name: '退款凭证.pdf', from: 'provider', mime: 'application/pdf' });
    const file = await who.consumer.get(view.attachments[0].url);
    expect(file.statusCode).toBe(200);
    expect((await who.consumer.get(`/complaints/${id}`)).body).toContain('机构提供');
    // Another provider's staff cannot reach it; the public case lists no attachment.
    expect((await who.otherStaff.get(view.attachments[0].url)).statusCode).toBe(404);
    const pub = (await t.app.inject({ url: `/api/v1/cases/${id}` })).json();
    expect(JSON.stringify(pub)).not.toContain('退款凭证');
  });

  it('a proposal carries files through the JSON API as multipart too', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    const res = await who.staff.multipart(
      `/api/v1/complaints/${id}/events`,
      { type: 'propose_resolution', body: '全额退款，见账单截图。' },
      [{ filename: 'bill.png', data: png(), type: 'image/png' }],
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('awaiting_consumer');
    expect(res.json().attachments.map((a: { from: string }) => a.from)).toEqual(['provider']);
  });

  it('refuses a file that is not what it claims, beside the field, keeping the text', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    const res = await who.staff.multipart(
      `/merchant/complaints/${id}/events`,
      { type: 'reply', body: '请查收附件。' },
      [{ filename: 'receipt.pdf', data: exe(), type: 'application/pdf' }],
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="reply-files-error"');
    expect(res.body).toContain('请查收附件。');
    expect((await who.consumer.get(`/api/v1/complaints/${id}`)).json().attachments).toHaveLength(0);
  });

  it('refuses files on an event that cannot carry them', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    const res = await who.staff.multipart(
      `/api/v1/complaints/${id}/events`,
      { type: 'request_info', body: '请提供交易截图。' },
      [{ filename: 'x.png', data: png(), type: 'image/png' }],
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'FILES_NOT_ALLOWED', field: 'attachments' });
    expect((await who.consumer.get(`/api/v1/complaints/${id}`)).json().status).toBe('forwarded');
  });

  it('still takes a plain reply without files', async () => {
    t = await makeApp();
    const who = await cast(t.app);
    const id = await complaintIn(who, 'forwarded');
    const res = await who.staff.multipart(
      `/merchant/complaints/${id}/events`,
      { type: 'reply', body: '正在核实。' },
      [],
    );
    expect(res.statusCode).toBe(303);
    expect(
      (await who.staff.form(`/merchant/complaints/${id}/events`, { type: 'note', body: '内部备注' })).statusCode,
    ).toBe(303);
  });
});
