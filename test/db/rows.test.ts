// rowShape must read exactly what drizzle's own select returns: every column, by property name, JSON and booleans decoded.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { rowShape, type Codecs } from '../../server/db/rows.ts';
import {
  complaintCodecs,
  complaintEventCodecs,
  complaintEvents,
  complaints,
} from '../../server/modules/complaints/schema.ts';
import { providerCodecs, providers } from '../../server/modules/providers/schema.ts';
import { outbox } from '../../server/modules/outbox/schema.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { cast, complaintIn, type Cast } from '../helpers/lifecycle.ts';

let t: TestApp;
let who: Cast;
beforeEach(async () => {
  t = await makeApp();
  who = await cast(t.app);
});
afterEach(async () => {
  await t.close();
});

describe('rowShape', () => {
  it('reads complaints, events, providers and outbox rows as drizzle does (JSON, booleans, nulls)', async () => {
    const id = await complaintIn(who, 'awaiting_consumer');
    const read = <T extends Parameters<typeof rowShape>[0]>(
      table: T,
      codecs: Codecs<T>,
      where: string,
      ...args: unknown[]
    ) =>
      t.app.sqlite
        .prepare(`SELECT ${rowShape(table, codecs).select} FROM ${getTableName(table)} WHERE ${where}`)
        .all(...args)
        .map(rowShape(table, codecs).decode);

    const c = read(complaints, complaintCodecs, 'id = ?', id);
    expect(c).toEqual(t.app.db.select().from(complaints).where(eq(complaints.id, id)).all());
    expect(Array.isArray(c[0].demands)).toBe(true);
    expect(typeof c[0].shareContact).toBe('boolean');

    const events = read(complaintEvents, complaintEventCodecs, 'complaint_id = ? ORDER BY id', id);
    expect(events.length).toBeGreaterThan(3);
    expect(events).toEqual(
      t.app.db
        .select()
        .from(complaintEvents)
        .where(eq(complaintEvents.complaintId, id))
        .orderBy(complaintEvents.id)
        .all(),
    );
    expect(events.some((e) => e.data !== null && typeof e.data === 'object')).toBe(true);

    expect(read(providers, providerCodecs, '1 = 1 ORDER BY id')).toEqual(
      t.app.db.select().from(providers).orderBy(providers.id).all(),
    );
    const rows = read(outbox, { payload: 'json' }, '1 = 1 ORDER BY id');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(t.app.db.select().from(outbox).orderBy(outbox.id).all());
  });

  it('declares a codec for exactly the JSON and boolean columns of each table read this way', () => {
    // The schema's own column modes, read here only: if an upgrade renames them, this test fails, not a decoded row.
    const needed = (table: Parameters<typeof rowShape>[0]) =>
      Object.fromEntries(
        Object.entries(getTableColumns(table))
          .filter(([, c]) => c.dataType === 'json' || c.dataType === 'boolean')
          .map(([k, c]) => [k, c.dataType]),
      );
    expect(complaintCodecs).toEqual(needed(complaints));
    expect(complaintEventCodecs).toEqual(needed(complaintEvents));
    expect(providerCodecs).toEqual(needed(providers));
  });
});
