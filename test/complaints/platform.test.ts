// The complaints module's platform verbs (app.complaints.platform): what forwarding, the board's publication
// decisions, provider-name review and the admin's account page read and move, as the platform itself. And the guard
// that keeps other modules from reaching into the complaints table beside them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../server/lib/ctx.ts';
import { NotFound } from '../../server/lib/errors.ts';
import { complaints } from '../../server/modules/complaints/schema.ts';
import { scoped } from '../../server/modules/complaints/scope.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn } from '../helpers/lifecycle.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

describe('app.complaints.platform', () => {
  it('reads any complaint, its files and timeline, whoever filed it; a missing id is NotFound', async () => {
    const who = await cast(t.app);
    const a = await complaintIn(who, 'submitted');
    const b = await complaintIn(who, 'in_progress');
    const p = t.app.complaints.platform;
    expect(p.complaint(a).status).toBe('submitted');
    expect(p.complaint(b).status).toBe('in_progress');
    expect(() => p.complaint(999_999)).toThrow(NotFound);
    const events = p.events(b);
    expect(events.map((e) => e.type)).toContain('approve');
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));
    expect(p.attachmentIds(a)).toEqual([]);
    const s = p.summaries([a, b, 999_999]);
    expect([...s.keys()].sort()).toEqual([a, b].sort());
    expect(s.get(b)).toMatchObject({ id: b, status: 'in_progress' });
    expect(p.summaries([]).size).toBe(0);
  });

  it('counts and lists by provider and by filer, and moves a provider’s complaints', async () => {
    const who = await cast(t.app);
    const a = await complaintIn(who, 'submitted');
    const b = await complaintIn(who, 'awaiting_consumer');
    const p = t.app.complaints.platform;
    const providerId = p.complaint(a).providerId;
    const other = t.app.providers.bySlug('wechat-pay')!.id;
    expect(providerId).not.toBe(other);
    expect(p.ofProvider(providerId).map((c) => c.id)).toEqual([a, b]);
    expect(p.filerIds(providerId)).toEqual([who.consumer.userId]);
    expect(p.countsByProvider([providerId, other]).get(providerId)).toBe(2);
    expect(p.countsByProvider([providerId, other]).has(other)).toBe(false);
    expect(p.countFiledBy(who.consumer.userId)).toBe(2);
    expect(p.countFiledBy(999_999)).toBe(0);
    t.app.db.transaction((tx) => p.moveToProvider(tx, providerId, other));
    expect(p.ofProvider(other).map((c) => c.id)).toEqual([a, b]);
    expect(p.ofProvider(providerId)).toEqual([]);
  });

  it('SYSTEM scope admits every complaint; an anonymous visitor none', async () => {
    const who = await cast(t.app);
    await complaintIn(who, 'submitted');
    const n = (actor: Parameters<typeof scoped>[0]) =>
      t.app.db.select({ id: complaints.id }).from(complaints).where(scoped(actor)).all().length;
    expect(n(SYSTEM)).toBe(1);
    expect(n(null)).toBe(0);
  });
});

// Files outside the complaints module that may still name the complaints table, each for a reason the module READMEs
// give. Any other module reads complaints through app.complaints (its verbs, or `platform` for the platform's own).
const MAY_READ_THE_TABLE: Record<string, string> = {
  'accounts/erase.ts': 'erasure scrubs the text of the consumer’s own complaints (scoped to them) in its transaction',
  'board/schema.ts': 'foreign key of public_cases',
  'board/materialise.ts': 'the public copy is built from the row in the change’s own transaction',
  'board/plugin.ts': 'the one indexed read that lets intake skip the board',
  'board/reference-lookup.ts': 'reference → public case, one prepared join',
  'merchant/service.ts': 'the inbox, scoped to the staff’s provider',
  'moderation/service.ts': 'the review queue and dashboard, scoped to the admin (the estimate as SYSTEM)',
  'notifications/notify.ts': 'who to tell of a change (registered before the complaints module)',
  'sla/effects.ts': 'the deadline columns live on the complaint; sla owns them',
  'sla/process-due.ts': 'the deadline columns live on the complaint; sla owns them',
  'sla/scheduler.ts': 'the deadline columns live on the complaint; sla owns them',
};

const MODULES = join(import.meta.dirname, '../../server/modules');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** Whether a file imports the complaints table itself (not only its types) or names it in raw SQL. */
function namesTheTable(text: string): boolean {
  const imports = [...text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'[./]*complaints\/schema\.ts'/g)];
  const asValue = imports.some(
    ([, typeOnly, names]) =>
      !typeOnly &&
      names
        .split(',')
        .map((n) => n.trim())
        .includes('complaints'),
  );
  return asValue || /\b(FROM|JOIN|UPDATE|INTO)\s+complaints\b/.test(text);
}

describe('layers', () => {
  it('no module outside complaints reads the complaints table but those listed with a reason', () => {
    const found = sources(MODULES)
      .map((f) => relative(MODULES, f))
      .filter((f) => !f.startsWith('complaints/'))
      .filter((f) => namesTheTable(readFileSync(join(MODULES, f), 'utf8')))
      .sort();
    expect(found).toEqual(Object.keys(MAY_READ_THE_TABLE).sort());
  });

  it('the guard sees a value import and raw SQL, and lets a type import pass', () => {
    expect(namesTheTable("import { complaints, attachments } from '../complaints/schema.ts';")).toBe(true);
    expect(namesTheTable("const s = db.prepare('SELECT id FROM complaints WHERE id = ?');")).toBe(true);
    expect(namesTheTable("import type { complaints } from '../complaints/schema.ts';")).toBe(false);
    expect(namesTheTable("import { complaintEvents } from '../complaints/schema.ts';")).toBe(false);
  });
});
