// Closing an account (DELETE /api/v1/me and the form on /me/data): afterwards no table, no file under DATA_DIR (the
// database file itself, the uploads, the mail log) holds the person's address, names, phone, transaction reference or
// what they wrote; their public case stays public; the provider sees the open complaint withdrawn; others are untouched.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { admin, complaintInput, consumer, fileComplaint, staff } from '../helpers/factories.ts';
import { png } from '../helpers/files.ts';
import { mustAct, RATING } from '../helpers/lifecycle.ts';

const PERSON = {
  realName: '欧阳娜娜',
  displayName: '娜娜同学',
  phone: '13812349876',
  contactPhone: '13912345678',
  transactionRef: '2026110122009988776655',
  /** An identity-card number in the description: anonymised on the board, and only the original holds it. */
  marker: '110105194912310025',
};
const PASSWORD = 'correct-horse-1';

/** The filing fields as a multipart form sends them: every value a string. */
const asFields = (o: Record<string, unknown>): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));

let t: TestApp | null = null;
let dir: string | null = null;
afterEach(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  t = null;
  dir = null;
});

/** A file database inside DATA_DIR, so the scan of DATA_DIR covers the database file too. */
async function fileApp(): Promise<TestApp> {
  dir = mkdtempSync(join(tmpdir(), 'wc-erase-'));
  t = await makeApp({ dataDir: dir, uploadDir: join(dir, 'uploads'), databasePath: join(dir, 'app.db') });
  return t;
}

function tableDump(app: FastifyInstance): Map<string, string> {
  const names = app.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  const out = new Map<string, string>();
  for (const name of names) {
    const rows = app.sqlite.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all();
    out.set(
      name,
      JSON.stringify(rows, (_k, v) => (Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v).toString() : v)),
    );
  }
  return out;
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((n) => {
    const p = join(root, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Where each needle still appears: "table name" or "file path". */
function findings(where: Map<string, string>, needles: string[]): string[] {
  const hits: string[] = [];
  for (const [name, text] of where) for (const n of needles) if (text.includes(n)) hits.push(`${n} in ${name}`);
  return hits;
}

async function setPhone(app: FastifyInstance, userId: number, phone: string) {
  app.sqlite.prepare('UPDATE users SET phone = ? WHERE id = ?').run(phone, userId);
}

describe('closing an account', () => {
  it('erases the person everywhere, keeps the public case, withdraws the open complaint and lets the address register again', async () => {
    const { app, clock } = await fileApp();
    const a = await admin(app);
    // The provider receives complaints by e-mail too: that mail (in the mail log) carries the consumer's contact.
    expect(
      (await a.send('PATCH', '/api/v1/admin/providers/alipay', { channels: { email: { to: 'cs@alipay.example' } } }))
        .statusCode,
    ).toBe(200);
    const s = await staff(app, 'alipay', a);
    const person = await consumer(app, { realName: PERSON.realName, displayName: PERSON.displayName });
    await setPhone(app, person.userId, PERSON.phone);
    const other = await consumer(app, { realName: '司马光明', displayName: '光明用户' });

    // 1. A public case, answered (naming the person), confirmed with a rating, with an attachment.
    const filed = await person.multipart(
      '/api/v1/complaints',
      asFields({
        ...complaintInput({
          description: `我的身份证号${PERSON.marker}，支付宝退款一直没有到账，客服让我继续等待。`,
          transactionRef: PERSON.transactionRef,
          contactPhone: PERSON.contactPhone,
          shareContact: '1',
        }),
        demands: ['refund'],
      }),
      [
        { filename: `${PERSON.realName}-转账截图.png`, data: png({ color: [10, 200, 30] }), type: 'image/png' },
        { filename: `${PERSON.realName}-回单.png`, data: png(), type: 'image/png' },
      ],
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const publicId = filed.json().id as number;
    await mustAct(a, publicId, 'approve');
    await mustAct(s, publicId, 'reply', { body: `${PERSON.realName}女士您好，已收到，正在核实。` });
    await mustAct(s, publicId, 'propose_resolution', { body: '已为您全额退款，请查收。' });
    await mustAct(person, publicId, 'confirm', { rating: RATING });
    // 2. An open complaint with the provider: withdrawn at closure.
    const open = await fileComplaint(person, {
      title: '微信转账被冻结',
      description: `转账被冻结，联系我${PERSON.contactPhone}，身份证${PERSON.marker}。`,
      transactionRef: `${PERSON.transactionRef}1`,
      contactPhone: PERSON.contactPhone,
      shareContact: true,
    });
    await mustAct(a, open.id, 'approve');
    // 3. A private complaint still under review.
    const draft = await fileComplaint(person, {
      consent: 'private',
      description: `私下处理即可。${PERSON.realName}，身份证${PERSON.marker}。`,
    });
    // An admin's rejection naming the person, and a complaint the person withdrew, giving a reason.
    await mustAct(a, draft.id, 'reject', { reason: `请${PERSON.realName}补充交易时间和金额` });
    const gone = await fileComplaint(person, { title: '已经自己解决了' });
    await mustAct(person, gone.id, 'withdraw', { body: `${PERSON.realName}已自行解决，身份证${PERSON.marker}` });
    // Someone else's complaint, with an attachment of the same bytes (files are stored by content).
    const theirs = await other.multipart(
      '/api/v1/complaints',
      asFields({ ...complaintInput({ description: '另一位用户的投诉：扫码付款后商家未收到。' }), demands: ['refund'] }),
      [{ filename: 'other.png', data: png(), type: 'image/png' }],
    );
    expect(theirs.statusCode, theirs.body).toBe(201);
    const theirsId = theirs.json().id as number;
    await app.outbox.drain(); // mails reach the mail log (no SMTP_URL)

    const publicBefore = (await new Client(app).get(`/api/v1/cases/${publicId}`)).json();
    expect(publicBefore.description).not.toContain(PERSON.marker);
    const needles = [person.email, ...Object.values(PERSON)];
    // The setup really put the person everywhere the scan looks.
    const before = findings(tableDump(app), needles).join('\n');
    for (const where of ['users', 'complaints', 'attachments', 'outbox', 'complaint_events'])
      expect(before).toContain(` in ${where}`);
    expect(readFileSync(join(dir!, 'mail-outbox.log'), 'utf8')).toContain(PERSON.contactPhone);
    const theirsBefore = (await other.get(`/api/v1/complaints/${theirsId}`)).json();

    clock.advance(60_000);
    const wrong = await person.send('DELETE', '/api/v1/me', { password: 'not-my-password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'BAD_PASSWORD', field: 'password' });
    const res = await person.send('DELETE', '/api/v1/me', { password: PASSWORD });
    expect(res.statusCode, res.body).toBe(204);
    await app.outbox.drain();

    // Logged out, and no way back in.
    expect((await person.get('/api/v1/auth/me')).json().user).toBeNull();
    expect((await person.get('/api/v1/me/export')).statusCode).toBe(401);
    const login = await new Client(app).post('/api/v1/auth/login', { email: person.email, password: PASSWORD });
    expect(login.statusCode).toBe(401);

    // Nothing of the person in any table…
    expect(findings(tableDump(app), needles)).toEqual([]);
    // …nor in any file under DATA_DIR once the app has closed (the database file and its WAL included).
    await t!.close();
    const files = new Map(filesUnder(dir!).map((p) => [p, readFileSync(p).toString('utf8')]));
    expect([...files.keys()].some((p) => p.endsWith('app.db'))).toBe(true);
    expect([...files.keys()].some((p) => p.endsWith('mail-outbox.log'))).toBe(true);
    expect(findings(files, needles)).toEqual([]);
    // Their own file is gone from disk; the one with the same bytes as the other consumer's stays (stored by content).
    const stored = filesUnder(join(dir!, 'uploads')).filter((p) => !p.includes(`${join(dir!, 'uploads', 'tmp')}/`));
    expect(stored).toHaveLength(1);

    // Open again on the same files: what the public, the provider and the other consumer see.
    t = await makeApp({ dataDir: dir!, uploadDir: join(dir!, 'uploads'), databasePath: join(dir!, 'app.db') });
    const app2 = t.app;
    const publicAfter = await new Client(app2).get(`/api/v1/cases/${publicId}`);
    expect(publicAfter.statusCode).toBe(200);
    expect(publicAfter.json()).toMatchObject({
      title: publicBefore.title,
      description: publicBefore.description,
      consumer: publicBefore.consumer,
      status: 'resolved',
    });
    expect(publicAfter.json().timeline).toEqual(publicBefore.timeline);

    const s2 = new Client(app2);
    await s2.post('/api/v1/auth/login', { email: s.email, password: 'staff-password-1' });
    const seen = (await s2.get(`/api/v1/complaints/${open.id}`)).json();
    expect(seen.status).toBe('withdrawn');
    expect(seen.timeline.at(-1)).toMatchObject({ type: 'withdraw', actorRole: 'consumer' });
    expect(seen.contactPhone).toBeNull();
    // The provider's staff were told, in words that name nobody.
    const told = app2.sqlite
      .prepare(
        "SELECT payload FROM outbox WHERE topic = 'email' AND complaint_id = ? AND payload LIKE '%consumer_withdraw%'",
      )
      .pluck()
      .all(open.id) as string[];
    expect(told).toHaveLength(1);
    expect(JSON.parse(told[0]).to).toBe(s.email);
    // The draft never reached the provider: it is withdrawn, and staff still cannot see it.
    expect((await s2.get(`/api/v1/complaints/${draft.id}`)).statusCode).toBe(404);

    // The other consumer's complaint, attachment and account are as they were.
    const o2 = new Client(app2);
    expect((await o2.post('/api/v1/auth/login', { email: other.email, password: PASSWORD })).statusCode).toBe(200);
    const theirsAfter = (await o2.get(`/api/v1/complaints/${theirsId}`)).json();
    expect(theirsAfter).toMatchObject({ description: theirsBefore.description, attachments: theirsBefore.attachments });
    expect((await o2.get(theirsAfter.attachments[0].url)).statusCode).toBe(200);
    expect((await o2.get('/api/v1/me/export')).json().profile).toMatchObject({
      realName: '司马光明',
      displayName: '光明用户',
    });

    // The address can register again: a new, empty account.
    const again = await new Client(app2).post('/api/v1/auth/register', {
      email: person.email,
      password: 'another-horse-2',
      displayName: '新用户',
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().user.id).not.toBe(person.userId);
  });

  it('refuses without a session (401), without CSRF (403), and a wrong or missing password (400)', async () => {
    t = await makeApp();
    const { app } = t;
    const anon = new Client(app);
    expect((await anon.send('DELETE', '/api/v1/me', { password: PASSWORD })).statusCode).toBe(401);
    const p = await consumer(app);
    expect((await p.send('DELETE', '/api/v1/me', { password: PASSWORD }, { csrf: false })).statusCode).toBe(403);
    const missing = await p.send('DELETE', '/api/v1/me', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('password');
    expect((await p.send('DELETE', '/api/v1/me', { password: '' })).json().error.field).toBe('password');
    // Still there.
    expect((await p.get('/api/v1/auth/me')).json().user.email).toBe(p.email);
  });
});

describe('who may close their account', () => {
  it('staff cannot (409: their provider manages them); the last admin cannot; another admin can', async () => {
    t = await makeApp();
    const { app } = t;
    const a = await admin(app);
    const s = await staff(app, 'alipay', a);
    const refused = await s.send('DELETE', '/api/v1/me', { password: 'staff-password-1' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('STAFF_ACCOUNT');
    expect(refused.json().error.message).toContain('管理员');
    expect((await s.get('/api/v1/auth/me')).json().user.email).toBe(s.email);

    const last = await a.send('DELETE', '/api/v1/me', { password: 'admin-password-1' });
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('LAST_ADMIN');

    const second = await admin(app);
    expect((await a.send('DELETE', '/api/v1/me', { password: 'admin-password-1' })).statusCode).toBe(204);
    expect((await a.get('/api/v1/auth/me')).json().user).toBeNull();
    // Now the remaining admin is the last one.
    expect((await second.send('DELETE', '/api/v1/me', { password: 'admin-password-1' })).statusCode).toBe(409);
  });
});

describe('the page /me/data', () => {
  it('explains, asks for the password and the confirmation beside their fields, then closes and signs out everywhere', async () => {
    t = await makeApp();
    const { app } = t;
    const p = await consumer(app, { realName: '上官婉儿', displayName: '婉儿' });
    const elsewhere = new Client(app);
    expect((await elsewhere.post('/api/v1/auth/login', { email: p.email, password: PASSWORD })).statusCode).toBe(200);

    const page = await p.get('/me/data');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('我的数据：导出与注销');
    expect(page.body).toContain('href="/me/data/export.json"');
    expect(page.body).toContain('撤回');
    expect(page.body).toContain('action="/me/data/close"');

    const unconfirmed = await p.form('/me/data/close', { password: PASSWORD });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toMatch(/id="confirm-error"[^>]*>请勾选确认/);
    const wrong = await p.form('/me/data/close', { password: 'not-my-password', confirm: '1' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/id="password-error"[^>]*>密码不正确/);
    expect((await p.get('/api/v1/auth/me')).json().user).not.toBeNull();

    const done = await p.form('/me/data/close', { password: PASSWORD, confirm: '1' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('账户已注销');
    expect(done.body).not.toContain('婉儿');
    expect((await p.get('/api/v1/auth/me')).json().user).toBeNull();
    expect((await elsewhere.get('/api/v1/auth/me')).json().user).toBeNull();
    // Signed out: the page now asks to log in.
    const after = await p.get('/me/data');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Fme%2Fdata');
  });

  it('tells staff whom to ask instead of offering the form', async () => {
    t = await makeApp();
    const s = await staff(t.app, 'alipay');
    const page = await s.get('/me/data');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('不能在这里自行注销');
    expect(page.body).not.toContain('action="/me/data/close"');
  });
});
