// Test data made inside each test: accounts, providers and complaints through the real verbs and routes.
import type { FastifyInstance } from 'fastify';
import { Client } from './client.ts';

let seq = 0;
const unique = () => `${process.pid}-${++seq}`;

export async function consumer(app: FastifyInstance, opts: { realName?: string; displayName?: string } = {}) {
  const c = new Client(app);
  const email = `consumer-${unique()}@example.com`;
  const res = await c.post('/api/v1/auth/register', {
    email,
    password: 'correct-horse-1',
    displayName: opts.displayName ?? '小王同学',
    realName: opts.realName,
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.body}`);
  return Object.assign(c, { email, userId: res.json().user.id as number });
}

export async function admin(app: FastifyInstance) {
  const email = `admin-${unique()}@example.com`;
  await app.accounts.ensureAdmin({ actor: null, clock: app.clock }, email, 'admin-password-1');
  const c = new Client(app);
  const res = await c.post('/api/v1/auth/login', { email, password: 'admin-password-1' });
  if (res.statusCode !== 200) throw new Error(`admin login failed: ${res.body}`);
  return Object.assign(c, { email });
}

export async function staff(app: FastifyInstance, providerSlug: string, adminClient?: Client) {
  const a = adminClient ?? (await admin(app));
  const email = `staff-${unique()}@example.com`;
  const res = await a.post(`/api/v1/admin/providers/${providerSlug}/staff`, {
    email,
    password: 'staff-password-1',
    displayName: '客服专员',
  });
  if (res.statusCode !== 201) throw new Error(`staff creation failed: ${res.body}`);
  const c = new Client(app);
  await c.post('/api/v1/auth/login', { email, password: 'staff-password-1' });
  return Object.assign(c, { email, userId: res.json().user.id as number });
}

export const complaintInput = (overrides: Record<string, unknown> = {}) => ({
  provider: 'alipay',
  category: 'refund-pending',
  title: '支付宝退款一直未到账',
  description: '我在11月1日申请了退款，商家已经同意，但支付宝一直显示处理中，客服让我继续等待。',
  demands: ['refund'],
  amountFen: 56978,
  incidentDate: '2026-11-01',
  transactionRef: '2026110122001234567890',
  consent: 'public',
  ...overrides,
});

export async function fileComplaint(c: Client, overrides: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/complaints', complaintInput(overrides));
  if (res.statusCode !== 201) throw new Error(`filing failed: ${res.body}`);
  return res.json() as { id: number; reference: string; status: string };
}
