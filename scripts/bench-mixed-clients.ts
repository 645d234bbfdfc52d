// The interactive clients of the mixed-load benchmark (bench-mixed.ts): readers (search mix, case pages, similar cases),
// filers with the moderator approving their filings, and providers' staff (inbox, open, reply). Each client is a closed
// loop: its pause between requests is drawn uniformly from half to one and a half times its think time (fixed with
// lockstep), and it starts at a random point of its first pause. Every request is timed into the recorder by class.
import { Client } from './bench-client.ts';
import { type Recorder, sleep } from './bench-mixed-lib.ts';

/** The readers' searches: one word, two, a provider's alias with a word, and a relaxed pair (余额 转出). */
export const SEARCH_MIX = [
  '退款',
  '冻结',
  '盗刷',
  '工行 盗刷',
  '提现 失败',
  '客服',
  '花呗',
  '余额 转出',
  '扣款',
  '数字人民币',
];

export interface MixedClientsOptions {
  base: string;
  rec: Recorder;
  /** False once the measured time is over: every loop ends after its request in flight. */
  until: () => boolean;
  /** Fixed pauses and one start for every client. */
  lockstep: boolean;
  /** Mean pause between a client's requests, ms. */
  think: { reader: number; filer: number; merchant: number };
}

export function mixedClients({ base, rec, until, lockstep, think }: MixedClientsOptions) {
  /** A client's pause of `ms` on average (fixed with lockstep). */
  const pause = (ms: number) => sleep(lockstep ? ms : ms * (0.5 + Math.random()));
  /** Where a client starts within its first pause (at once with lockstep). */
  const arrive = (ms: number) => sleep(lockstep ? 0 : ms * Math.random());
  /** Filed complaints waiting for the moderator (who approves them, so the merchants have cases to answer). */
  const filed: number[] = [];

  async function readers(n: number) {
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    const c = new Client(base);
    const first = (await c.json('GET', '/api/v1/cases?sort=newest&pageSize=50')) as { items: { id: number }[] };
    const ids = first.items.map((i) => i.id);
    const loop = async (k: number) => {
      const me = new Client(base);
      await arrive(think.reader);
      for (let i = k; until(); i++) {
        const kind = i % 3;
        if (kind === 0)
          await rec.time('search', () => me.get(`/api/v1/cases?q=${encodeURIComponent(pick(SEARCH_MIX))}`));
        else if (kind === 1)
          await rec.time('case page', () =>
            me.get(`/cases/${pick(ids) - Math.floor(Math.random() * 200_000)}`, [200, 404]),
          );
        // Any case of the newest 200,000, like the case pages: the per-case pool cache must not flatter the figure.
        else
          await rec.time('similar', () =>
            me.get(`/api/v1/cases/${pick(ids) - Math.floor(Math.random() * 200_000)}/similar`, [200, 404]),
          );
        await pause(think.reader);
      }
    };
    await Promise.all(Array.from({ length: n }, (_, k) => loop(k)));
  }

  async function moderator(admin: Client) {
    while (until()) {
      const id = filed.shift();
      if (id === undefined) {
        await sleep(100);
        continue;
      }
      await rec.time('approve', () => admin.post(`/api/v1/complaints/${id}/events`, { type: 'approve' }));
    }
  }

  /** A filer signed up (timed as 'filer setup'); null when that failed. */
  async function filerAccount(k: number): Promise<Client | null> {
    const c = new Client(base);
    const ok = await rec.time('filer setup', async () => {
      await c.register(`bench-filer-${k}-${Date.now()}@example.com`);
      return true;
    });
    return ok ? c : null;
  }

  async function filers(n: number, providers: string[], signedUp: (Client | null)[] | null) {
    const loop = async (k: number) => {
      await arrive(think.filer);
      const c = signedUp ? signedUp[k] : await filerAccount(k);
      if (!c) return;
      for (let i = 0; until(); i++) {
        const res = (await rec.time('filing', () =>
          c.json(
            'POST',
            '/api/v1/complaints',
            {
              provider: providers[(k + i) % providers.length],
              category: 'refund-pending',
              title: `退款迟迟未到账 ${k}-${i}`,
              description:
                '上周在商户消费后申请退款，商户已同意，但钱包一直显示退款处理中，客服说再等等，至今没有到账。',
              demands: ['refund'],
              amountFen: 12_800,
              consent: 'public',
            },
            [201],
          ),
        )) as { id: number } | undefined;
        if (res) filed.push(res.id);
        await pause(think.filer);
      }
    };
    await Promise.all(Array.from({ length: n }, (_, k) => loop(k)));
  }

  /** A provider's staff member created by the admin and signed in (timed as 'merchant setup'); null when that failed. */
  async function merchantAccount(k: number, admin: Client, providers: string[]): Promise<Client | null> {
    const slug = providers[k % providers.length];
    const email = `bench-staff-${k}-${Date.now()}@example.com`;
    const c = new Client(base);
    const ok = await rec.time('merchant setup', async () => {
      await admin.post(
        `/api/v1/admin/providers/${slug}/staff`,
        { email, password: 'bench-staff-password', displayName: `客服${k}` },
        [201],
      );
      await c.login(email, 'bench-staff-password');
      return true;
    });
    return ok ? c : null;
  }

  async function merchants(n: number, admin: Client, providers: string[], signedIn: (Client | null)[] | null) {
    const loop = async (k: number) => {
      await arrive(think.merchant);
      const c = signedIn ? signedIn[k] : await merchantAccount(k, admin, providers);
      if (!c) return;
      for (let i = 0; until(); i++) {
        const inbox = (await rec.time('inbox', () => c.json('GET', '/api/v1/merchant/complaints'))) as {
          items: { id: number }[];
        };
        const item = inbox.items[i % Math.max(1, inbox.items.length)];
        if (item) {
          await rec.time('merchant open', () => c.get(`/api/v1/complaints/${item.id}`));
          await rec.time('reply', () =>
            c.post(
              `/api/v1/complaints/${item.id}/events`,
              { type: 'reply', body: '您好，我们已收到您的反馈，正在核实交易记录，会尽快给您答复。' },
              [200, 409],
            ),
          );
        }
        await pause(think.merchant);
      }
    };
    await Promise.all(Array.from({ length: n }, (_, k) => loop(k)));
  }

  return { readers, moderator, filerAccount, filers, merchantAccount, merchants };
}
