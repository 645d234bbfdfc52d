// Moving complaints through their lifecycle in tests, through the real events API: a fixed cast walked to a status
// (cast, complaintIn), or the board's cast with staff made per provider and cases made public (actors, publishedCase).
import type { FastifyInstance } from 'fastify';
import type { TestApp } from './app.ts';
import type { Client } from './client.ts';
import { admin, complaintInput, consumer, fileComplaint, staff } from './factories.ts';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export const RATING = { attitude: 5, speed: 4, satisfaction: 5 };

/** Sends one event; returns the response (assert on it in the test). */
export function act(c: Client, id: number, type: string, extra: Record<string, unknown> = {}) {
  return c.post(`/api/v1/complaints/${id}/events`, { type, ...extra });
}

/** Sends one event that must succeed; returns the complaint view. */
export async function mustAct(c: Client, id: number, type: string, extra: Record<string, unknown> = {}) {
  const res = await act(c, id, type, extra);
  if (res.statusCode !== 200) throw new Error(`${type} on ${id} failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** The events that bring a fresh complaint to each status, in order, by role. */
export const PATHS: Record<
  string,
  [role: 'consumer' | 'admin' | 'staff', type: string, extra?: Record<string, unknown>][]
> = {
  submitted: [],
  rejected: [['admin', 'reject', { reason: '请补充交易时间和金额' }]],
  forwarded: [['admin', 'approve']],
  in_progress: [
    ['admin', 'approve'],
    ['staff', 'reply', { body: '您好，已收到，正在核实。' }],
  ],
  awaiting_consumer: [
    ['admin', 'approve'],
    ['staff', 'propose_resolution', { body: '已为您全额退款，请查收。' }],
  ],
  resolved: [
    ['admin', 'approve'],
    ['staff', 'propose_resolution', { body: '已为您全额退款。' }],
    ['consumer', 'confirm', { rating: RATING }],
  ],
  closed_unresolved: [
    ['admin', 'approve'],
    ['admin', 'close_unresolved', { reason: '机构无法联系' }],
  ],
  withdrawn: [['consumer', 'withdraw']],
};

export interface Cast {
  consumer: Client & { userId: number; email: string };
  admin: Client;
  staff: Client;
  otherStaff: Client;
  otherConsumer: Client;
}

/** A consumer, an admin, staff of alipay (the complaint's provider) and of wechat-pay, and a second consumer. */
export async function cast(app: FastifyInstance): Promise<Cast> {
  const a = await admin(app);
  return {
    consumer: await consumer(app),
    admin: a,
    staff: await staff(app, 'alipay', a),
    otherStaff: await staff(app, 'wechat-pay', a),
    otherConsumer: await consumer(app),
  };
}

/** Files a complaint against alipay and walks it to `status`. */
export async function complaintIn(
  who: Cast,
  status: keyof typeof PATHS | string,
  overrides: Record<string, unknown> = {},
): Promise<number> {
  const { id } = await fileComplaint(who.consumer, overrides);
  for (const [role, type, extra] of PATHS[status] ?? []) await mustAct(who[role], id, type, extra);
  return id;
}

/** The board's cast: a consumer and an admin; staff of a provider made when first needed (staffFor). */
export type Actors = { consumer: Client & { userId: number }; admin: Client; staff: Record<string, Client> };

export async function actors(t: TestApp, opts: { realName?: string; displayName?: string } = {}): Promise<Actors> {
  const a = await admin(t.app);
  return { consumer: await consumer(t.app, opts), admin: a, staff: {} };
}

export async function staffFor(t: TestApp, who: Actors, slug: string): Promise<Client> {
  who.staff[slug] ??= await staff(t.app, slug, who.admin);
  return who.staff[slug];
}

/** Files and approves a complaint; with `answer`, staff reply, propose a resolution and (with `confirm`) the consumer confirms. */
export async function publishedCase(
  t: TestApp,
  who: Actors,
  overrides: Record<string, unknown> = {},
  flow: { reply?: string; propose?: string; confirm?: boolean; rating?: number } = {},
) {
  const filed = await fileComplaint(who.consumer, overrides);
  await mustAct(who.admin, filed.id, 'approve');
  const provider = String(overrides.provider ?? complaintInput().provider);
  if (flow.reply || flow.propose) {
    const s = await staffFor(t, who, provider);
    if (flow.reply) await mustAct(s, filed.id, 'reply', { body: flow.reply });
    if (flow.propose) await mustAct(s, filed.id, 'propose_resolution', { body: flow.propose });
  }
  if (flow.confirm) {
    const r = flow.rating ?? 5;
    await mustAct(who.consumer, filed.id, 'confirm', { rating: { attitude: r, speed: r, satisfaction: r } });
  }
  return filed;
}

/** Runs the outbox until nothing is due: the search index has caught up with public_cases. */
export async function drain(t: TestApp): Promise<void> {
  await t.app.outbox.drain();
}
