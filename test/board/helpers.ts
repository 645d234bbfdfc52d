// Board test data made through the real routes: a consumer files, an admin approves, staff answer, the consumer
// confirms. Nothing is written behind the lifecycle's back except in the hand-built histories of stats tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Config } from '../../server/config.ts';
import { chinaDay } from '../../server/lib/china-time.ts';
import { rebuildSearchIndex } from '../../server/modules/board/reindex.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
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
export async function publishedCase(
  t: TestApp,
  who: Actors,
  overrides: Record<string, unknown> = {},
  flow: { reply?: string; propose?: string; confirm?: boolean; rating?: number } = {},
) {
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

/**
 * Many public cases at once, for exports at scale: copies of one published case's public row under new ids, filed on
 * `days` successive days back from it, then the search index rebuilt from public_cases (as the import script does).
 * Only public_cases is written, so the copies have no complaint rows behind them: foreign keys are off meanwhile.
 */
export async function clonePublicCase(
  t: TestApp,
  sourceId: number,
  count: number,
  opts: { firstId?: number; days?: number } = {},
): Promise<number[]> {
  const src = t.app.sqlite.prepare('SELECT * FROM public_cases WHERE complaint_id = ?').get(sourceId) as Record<
    string,
    unknown
  > & { doc: string; filed_at: number };
  const doc = JSON.parse(src.doc) as Record<string, unknown>;
  const insert =
    t.app.sqlite.prepare(`INSERT INTO public_cases (complaint_id, provider_id, category, status, amount_fen, filed_at, overdue, resolved,
    refunded, resolution_days, doc, version, published_at, updated_at) VALUES (@complaint_id, @provider_id, @category, @status, @amount_fen,
    @filed_at, @overdue, @resolved, @refunded, @resolution_days, @doc, @version, @published_at, @updated_at)`);
  const first = opts.firstId ?? 1_000_000;
  const ids = Array.from({ length: count }, (_, i) => first + i);
  t.app.sqlite.pragma('foreign_keys = OFF');
  try {
    t.app.transaction(() => {
      ids.forEach((id, i) => {
        const day = 24 * 3600_000 * (i % (opts.days ?? 100));
        const filedAt = src.filed_at - day;
        insert.run({
          ...src,
          complaint_id: id,
          filed_at: filedAt,
          doc: JSON.stringify({ ...doc, id, url: `/cases/${id}`, filedAt: chinaDay(filedAt) }),
        });
      });
    });
  } finally {
    t.app.sqlite.pragma('foreign_keys = ON');
  }
  await rebuildSearchIndex(t.app.db, t.app.board.search);
  return ids;
}

/** An app on a database file in its own temporary folder, with background work on: the whole-board files are built. */
export async function fileBoardApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'wc-exports-'));
  const t = await makeApp({ databasePath: join(dir, 'complaints.sqlite'), workers: true, ...overrides });
  return {
    ...t,
    async close() {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Parses RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}
