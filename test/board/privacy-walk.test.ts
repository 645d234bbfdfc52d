// A complaint full of personal data goes through the whole lifecycle; then every public route and feed is walked and
// none of the personal data may appear anywhere (pages, JSON, CSV, RSS, similar cases, scorecards, the search index).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { png } from '../helpers/files.ts';
import { actors, type Actors, drain, mustAct, staffFor } from '../helpers/lifecycle.ts';

const luhnComplete = (prefix: string) => {
  for (let d = 0; d < 10; d++) {
    const s = prefix + d;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = Number(s[s.length - 1 - i]);
      if (i % 2) {
        x *= 2;
        if (x > 9) x -= 9;
      }
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
};

const CARD = luhnComplete('622202123456789012');
const P = {
  phone: '13812345678',
  phoneSpaced: '139-8765-4321',
  contactPhone: '13700001111',
  idNumber: '11010519491231002X',
  card: CARD,
  email: 'wang.xiaoming@example.com',
  realName: '王小明',
  displayName: '明明同学',
  address: '建国路88号',
  room: '3单元502室',
  transactionRef: '2026110122001234567890',
  wechat: 'wxid_abc12345',
  attachment: '王小明身份证正面.png',
  note: '风控黑名单标记XK47',
  plate: '京A12345',
};
/** Provider names consumers typed that match nothing: pending, so private until an admin decides. */
const PENDING = { spam: '李雷 15011112222 骗子', typo: '支付保', withdrawn: '某某小贷黑平台' };
/** Every fragment that must not appear; digits also without separators. */
const FORBIDDEN = [
  PENDING.spam,
  '李雷',
  '15011112222',
  PENDING.typo,
  PENDING.withdrawn,
  '小贷黑平台',
  P.phone,
  P.phone.slice(3),
  '98765432',
  '87654321',
  P.contactPhone,
  P.contactPhone.slice(3),
  P.idNumber,
  P.idNumber.slice(0, 14),
  P.card,
  P.card.slice(0, 12),
  P.email,
  'wang.xiaoming',
  P.realName,
  '小明',
  P.displayName,
  P.address,
  P.room,
  P.transactionRef,
  P.transactionRef.slice(4, 20),
  P.wechat,
  '身份证正面',
  P.note,
  'XK47',
  P.plate,
  '12345678',
];

let t: TestApp;
let who: Actors;
let id: number;
let privateId: number;
const pendingIds: number[] = [];
let pendingSlugs: string[] = [];

beforeAll(async () => {
  t = await fileApp(); // a database file, so the whole-board export files are built and walked too
  who = await actors(t, { realName: P.realName, displayName: P.displayName });
  const description =
    `我叫${P.realName}，手机${P.phone}，身份证号${P.idNumber}，银行卡号${P.card}，邮箱${P.email}，` +
    `住在北京市朝阳区${P.address}${P.room}。订单号${P.transactionRef}的退款569.78元一直没到账，支付宝客服让我一直等。`;
  const res = await who.consumer.multipart(
    '/api/v1/complaints',
    {
      provider: 'alipay',
      category: 'refund-pending',
      title: `${P.realName}的支付宝退款一直未到账`,
      description,
      demands: ['refund'],
      amountFen: '56978',
      incidentDate: '2026-11-01',
      transactionRef: P.transactionRef,
      contactPhone: P.contactPhone,
      shareContact: '1',
      consent: 'public',
    },
    [{ filename: P.attachment, data: png(), type: 'image/png' }],
  );
  expect(res.statusCode, res.body).toBe(201);
  id = res.json().id;
  await mustAct(who.admin, id, 'approve');
  const staff = await staffFor(t, who, 'alipay');
  await mustAct(staff, id, 'note', { body: `${P.note}：用户${P.realName}，电话${P.phone}` });
  await mustAct(staff, id, 'reply', { body: `王先生您好，我们已致电${P.phone}，正在核实订单${P.transactionRef}。` });
  await mustAct(who.consumer, id, 'supplement', {
    body: `补充：我的微信号是 ${P.wechat}，另一个电话 ${P.phoneSpaced}，车牌${P.plate}。${P.displayName}敬上`,
  });
  await mustAct(staff, id, 'propose_resolution', {
    body: `已为${P.realName}全额退款569.78元，原路退回银行卡${P.card}。`,
  });
  await mustAct(who.consumer, id, 'confirm', {
    body: `谢谢，${P.realName}已收到退款。`,
    rating: { attitude: 5, speed: 4, satisfaction: 5 },
  });
  // A private complaint by the same consumer: its words must appear nowhere either.
  const priv = await who.consumer.post('/api/v1/complaints', {
    provider: 'alipay',
    category: 'account-frozen',
    title: '余额被冻结私密案例甲乙丙',
    description: '这是一条选择不公开的投诉，内容含有暗号丁戊己庚，任何公开页面都不应出现。',
    demands: ['unfreeze'],
    consent: 'private',
  });
  privateId = priv.json().id;
  await mustAct(who.admin, privateId, 'approve');
  // Complaints against names the directory does not know: two public (shown under 其他机构), one private and withdrawn.
  for (const [name, consent] of [
    [PENDING.spam, 'public'],
    [PENDING.typo, 'public'],
    [PENDING.withdrawn, 'private'],
  ] as const) {
    const r = await who.consumer.post('/api/v1/complaints', {
      provider: name,
      category: 'transaction-failed',
      title: '转账失败但已扣款未退回',
      description: '转账显示失败但是钱已经扣了，三天了还没有退回来，客服一直推脱。',
      demands: ['refund'],
      consent,
    });
    expect(r.statusCode, r.body).toBe(201);
    pendingIds.push(r.json().id);
    await mustAct(who.admin, r.json().id, 'approve');
  }
  await mustAct(who.consumer, pendingIds[2]!, 'withdraw');
  pendingSlugs = pendingIds.map(
    (cid) =>
      t.app.sqlite
        .prepare('SELECT p.slug FROM complaints c JOIN providers p ON p.id = c.provider_id WHERE c.id = ?')
        .pluck()
        .get(cid) as string,
  );
  await drain(t);
  await t.app.openData.files!.rebuild();
});
afterAll(async () => {
  await t.close();
});

function assertClean(url: string, text: string) {
  for (const s of FORBIDDEN) expect(text.includes(s), `${url} contains "${s}"`).toBe(false);
  for (const s of ['私密案例甲乙丙', '丁戊己庚'])
    expect(text.includes(s), `${url} shows the private complaint ("${s}")`).toBe(false);
}

describe('no personal data on any public surface', () => {
  it('every public page, API answer and feed shows the case without its personal data', async () => {
    const anon = new Client(t.app);
    const html = { accept: 'text/html' };
    const walk: [string, Record<string, string>?][] = [
      ['/', html],
      ['/cases', html],
      ['/cases?q=退款', html],
      ['/cases?q=支付宝&provider=alipay', html],
      [`/cases/${id}`, html],
      [`/cases/${id}/similar`, html],
      ['/providers', html],
      ['/providers/alipay', html],
      ['/api/v1/cases'],
      ['/api/v1/cases?q=退款'],
      ['/api/v1/cases?q=银行卡'],
      [`/api/v1/cases/${id}`],
      [`/api/v1/cases/${id}/similar`],
      ['/api/v1/cases.csv'],
      ['/api/v1/cases.csv?q=退款'],
      ['/api/v1/cases.csv?provider=alipay'],
      ['/api/v1/cases.jsonl?category=refund-pending'],
      ['/downloads/cases.csv'],
      ['/downloads/cases.jsonl'],
      ['/feeds/cases.xml'],
      ['/feeds/cases.xml?provider=alipay'],
      ['/feeds/cases.xml?q=退款'],
      ['/api/v1/providers/alipay/scorecard'],
      ['/api/v1/providers'],
      ['/api/v1/cases?provider=other'],
      ['/cases?provider=other', html],
      ...pendingIds
        .flatMap((cid): [string, Record<string, string>?][] => [
          [`/cases/${cid}`, html],
          [`/api/v1/cases/${cid}`],
          [`/api/v1/cases/${cid}/similar`],
        ])
        .slice(0, 6),
      ['/api/v1/cases?q=转账失败'],
      ['/api/v1/cases.csv?provider=other'],
      ['/feeds/cases.xml?provider=other'],
    ];
    for (const [url, headers] of walk) {
      const res = await anon.get(url, headers);
      expect(res.statusCode, url).toBe(200);
      if (process.env.DEBUG_WALK) console.log(url, res.body.slice(0, 3000));
      // The case is there (so the walk can fail), with its anonymised text.
      if (
        !url.includes('scorecard') &&
        !url.startsWith('/providers') &&
        !url.startsWith('/api/v1/providers') &&
        !url.includes('/similar') &&
        !url.includes('other') &&
        !url.includes('转账') &&
        !pendingIds.some((cid) => url.includes(`/cases/${cid}`))
      )
        expect(res.body.replace(/<\/?mark>/g, ''), url).toContain('退款一直未到账');
      assertClean(url, res.body);
      expect(res.body, url).not.toContain('[object Object]');
    }
    const similar = await anon.post('/api/v1/similar', {
      provider: '支付宝',
      title: '支付宝退款没到账',
      description: '申请退款后一直没有到账，客服让我等待',
    });
    expect(similar.statusCode).toBe(200);
    expect(similar.json().items.map((h: { id: number }) => h.id)).toContain(id);
    assertClean('/api/v1/similar', similar.body);
    // Typing a pending name never reaches its cases through a public door either.
    const typed = await anon.post('/api/v1/similar', {
      provider: PENDING.typo,
      title: '转账失败但已扣款',
      description: '转账显示失败但是钱已经扣了',
    });
    assertClean('/api/v1/similar (pending name)', typed.body);
  });

  it('pending provider names are on no public surface: their cases appear under 其他机构, their own pages do not exist', async () => {
    const anon = new Client(t.app);
    expect(new Set(pendingSlugs).size).toBe(3);
    for (const slug of pendingSlugs) {
      for (const url of [`/providers/${slug}`, `/api/v1/providers/${slug}`, `/api/v1/providers/${slug}/scorecard`]) {
        expect((await anon.get(url, { accept: 'text/html' })).statusCode, url).toBe(404);
      }
      for (const url of [
        `/api/v1/cases?provider=${slug}`,
        `/api/v1/cases.csv?provider=${slug}`,
        `/feeds/cases.xml?provider=${slug}`,
      ]) {
        const res = await anon.get(url);
        expect(res.statusCode, url).toBe(200);
        expect(res.body, url).not.toContain('转账失败');
        assertClean(url, res.body);
      }
    }
    const list = (await anon.get('/api/v1/cases?q=转账失败')).json();
    expect(list.items.map((i: { id: number }) => i.id).sort()).toEqual(pendingIds.slice(0, 2).sort());
    expect(
      list.items.every(
        (i: { provider: string; providerName: string }) => i.provider === 'other' && i.providerName === '其他机构',
      ),
    ).toBe(true);
    expect(list.facets.provider).toEqual({ other: 2 });
    expect((await anon.get(`/api/v1/cases/${pendingIds[0]}`)).json().provider).toMatchObject({
      slug: 'other',
      name: '其他机构',
    });
    expect((await anon.get(`/api/v1/cases/${pendingIds[2]}`)).statusCode).toBe(404);
    const directory = (await anon.get('/api/v1/providers')).json().items.map((p: { slug: string }) => p.slug);
    expect(directory).toContain('alipay');
    for (const slug of [...pendingSlugs, 'other']) expect(directory).not.toContain(slug);
  });

  it('the public view keeps what readers need: placeholders, amounts, the provider and its hotline, dates to the day', async () => {
    const c = (await new Client(t.app).get(`/api/v1/cases/${id}`)).json();
    expect(c.description).toContain('[手机号]');
    expect(c.description).toContain('[身份证号]');
    expect(c.description).toContain('[银行卡号]');
    expect(c.description).toContain('569.78元');
    expect(c.title).toBe('[姓名]的支付宝退款一直未到账');
    expect(c.consumer).toMatch(/^用户 [0-9A-F]{6}$/);
    expect(c.provider).toMatchObject({ slug: 'alipay', hotline: '95188' });
    expect(c.filedAt).toBe('2026-11-02');
    for (const e of c.timeline) expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // No times of day anywhere the consumer's own actions show (filing, events); the deadlines are the platform's
    // instants (approval + the policy's window), stated to the minute so readers can judge the provider.
    const { firstResponseDueAt, resolutionDueAt, ...dateOnly } = c.deadlines;
    expect(firstResponseDueAt).toMatch(/T\d{2}:\d{2}/);
    expect(resolutionDueAt).toMatch(/T\d{2}:\d{2}/);
    expect(JSON.stringify({ ...c, deadlines: dateOnly })).not.toMatch(/T\d{2}:\d{2}/);
    expect(c.timeline.map((e: { type: string }) => e.type)).not.toContain('note');
    expect(Object.keys(c)).not.toEqual(expect.arrayContaining(['transactionRef']));
    for (const key of ['transactionRef', 'contactPhone', 'attachments', 'email', 'userId', 'reference'])
      expect(c).not.toHaveProperty(key);
    expect(c.outcome).toMatchObject({
      resolved: true,
      refunded: true,
      rating: { attitude: 5, speed: 4, satisfaction: 5 },
    });
  });

  it('the search index holds only public text', async () => {
    // Every table the search backend keeps, whatever its layout: text columns and blobs read as UTF-8.
    const tables = (
      t.app.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search%'").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(tables.length).toBeGreaterThan(0);
    let dumped = '';
    for (const name of tables) {
      let rows: Record<string, unknown>[] = [];
      try {
        rows = t.app.sqlite.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      } catch {
        continue;
      }
      dumped += JSON.stringify(rows, (_k, v) =>
        v && typeof v === 'object' && v.type === 'Buffer' ? Buffer.from(v.data).toString('utf8') : v,
      );
    }
    expect(dumped).toContain('退款');
    assertClean('search tables', dumped);
  });

  it("the private complaint is counted in its provider's scorecard but shown nowhere", async () => {
    const anon = new Client(t.app);
    expect((await anon.get(`/api/v1/cases/${privateId}`)).statusCode).toBe(404);
    expect((await anon.get(`/cases/${privateId}`, { accept: 'text/html' })).statusCode).toBe(404);
    expect((await anon.get('/api/v1/cases')).json().total).toBe(3); // the alipay case and two under 其他机构
    expect((await anon.get('/api/v1/cases?q=冻结')).json().total).toBe(0);
    expect(
      t.app.sqlite.prepare('SELECT count(*) AS n FROM public_cases WHERE complaint_id = ?').get(privateId),
    ).toEqual({ n: 0 });
    expect((await anon.get('/api/v1/providers/alipay/scorecard')).json().complaints).toBe(2);
  });
});
