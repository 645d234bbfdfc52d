// On phones a list table becomes labelled cards (app.css turns each cell into a block prefixed with its data-label):
// every data cell of every list table says what it is, so no figure stands unlabelled at 390 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers/app.ts';
import { cast, complaintIn } from './helpers/lifecycle.ts';
import type { Client } from './helpers/client.ts';

let t: TestApp;
let who: Awaited<ReturnType<typeof cast>>;
beforeAll(async () => {
  t = await makeApp();
  who = await cast(t.app);
  await complaintIn(who, 'forwarded');
  // Past both deadlines: the admin dashboard lists it among the overdue.
  t.clock.advance(3 * 24 * 3600_000 + 1);
  t.app.sla.tick();
  await t.app.outbox.drain();
});
afterAll(async () => t.close());

/**
 * The data cells (<td …>) of the list tables' bodies that carry no data-label and have content. A row's first cell is
 * the card's heading (the name, the title) and needs no label.
 */
function unlabelled(html: string): string[] {
  const bodies = [...html.matchAll(/<table class="list[^"]*"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/g)].map((m) => m[1]);
  const rows = bodies.flatMap((b) => b.split(/<tr\b/).slice(1));
  return rows.flatMap((row) =>
    [...row.matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)]
      .slice(1)
      .filter((m) => !m[1].includes('data-label') && m[2].replace(/<[^>]+>/g, '').trim() !== '')
      .map((m) => m[0].slice(0, 80)),
  );
}

describe('list tables on phones', () => {
  const pages: [string, () => Client | null][] = [
    ['/providers', () => null],
    ['/merchant', () => who.staff],
    ['/merchant/team', () => who.staff],
    ['/admin', () => who.admin],
    ['/admin/users', () => who.admin],
    ['/admin/providers', () => who.admin],
    ['/admin/audit', () => who.admin],
  ];
  for (const [path, client] of pages) {
    it(`${path}: every data cell is labelled`, async () => {
      const c = client();
      const res = c ? await c.get(path) : await t.app.inject({ url: path });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/<table class="list/);
      expect(unlabelled(res.body)).toEqual([]);
    });
  }
});
