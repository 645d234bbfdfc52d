// Board test data made through the real routes: a consumer files, an admin approves, staff answer, the consumer
// confirms. Nothing is written behind the lifecycle's back except in the hand-built histories of stats tests.
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import type { Client } from '../helpers/client.ts';
import { admin, complaintInput, consumer, fileComplaint, staff } from '../helpers/factories.ts';

export type Actors = { consumer: Client & { userId: number }; admin: Client; staff: Record<string, Client> };

export async function actors(t: TestApp, opts: { realName?: string; displayName?: string } = {}): Promise<Actors> {
  const a = await admin(t.app);
  return { consumer: await consumer(t.app, opts), admin: a, staff: {} };
}

export async function staffFor(t: TestApp, who: Actors, slug: string): Promise<Client> {
  who.staff[slug] ??= await staff(t.app, slug, who.admin);
  return who.staff[slug];
}

export async function act(c: Client, id: number, event: Record<string, unknown>) {
  const res = await c.post(`/api/v1/complaints/${id}/events`, event);
  expect(res.statusCode, `${String(event.type)}: ${res.body}`).toBe(200);
  return res.json();
}

/** Files and approves a complaint; with `answer`, staff reply, propose a resolution and (with `confirm`) the consumer confirms. */
export async function publishedCase(t: TestApp, who: Actors, overrides: Record<string, unknown> = {}, flow: { reply?: string; propose?: string; confirm?: boolean; rating?: number } = {}) {
  const filed = await fileComplaint(who.consumer, overrides);
  await act(who.admin, filed.id, { type: 'approve' });
  const provider = String(overrides.provider ?? complaintInput().provider);
  if (flow.reply || flow.propose) {
    const s = await staffFor(t, who, provider);
    if (flow.reply) await act(s, filed.id, { type: 'reply', body: flow.reply });
    if (flow.propose) await act(s, filed.id, { type: 'propose_resolution', body: flow.propose });
  }
  if (flow.confirm) {
    const r = flow.rating ?? 5;
    await act(who.consumer, filed.id, { type: 'confirm', rating: { attitude: r, speed: r, satisfaction: r } });
  }
  return filed;
}

/** Runs the outbox until nothing is due: the search index has caught up with public_cases. */
export async function drain(t: TestApp): Promise<void> {
  await t.app.outbox.drain();
}
