// The merchant inbox: the staff member's own provider's complaints, tab by tab, read page by page off one index
// (keyset, never OFFSET); counts come from inbox_counts, kept by triggers. Every complaint query goes through
// scoped(actor, …): a provider's staff cannot list, count, find or act on another provider's complaints.
import { asc, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/database.ts';
import { requireActor, type Actor, type Ctx } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import { providers } from '../providers/schema.ts';
import { complaints } from '../complaints/schema.ts';
import { scoped } from '../complaints/scope.ts';
import { inboxCounts } from './schema.ts';
import { encodeCursor, type Cursor } from './cursor.ts';
import { titleMatch, type TitleQuery } from './title-search.ts';
import type { InboxFilters, Tab } from './input.ts';

interface Order {
  key: SQLiteColumn;
  descending: boolean;
}

/** Waiting tabs: soonest deadline first (most overdue on top); finished: latest first; all: newest filed first. */
const ORDER: Record<Tab, Order> = {
  todo: { key: complaints.inboxDue, descending: false },
  overdue: { key: complaints.inboxDue, descending: false },
  consumer: { key: complaints.inboxDue, descending: false },
  closed: { key: complaints.inboxDue, descending: true },
  all: { key: complaints.createdAt, descending: true },
};
/** A title search lists matches newest first: FTS5 walks its doclists in rowid order and stops at the page's end. */
const BY_ID: Order = { key: complaints.id, descending: true };

const tabCondition = (tab: Tab): SQL | undefined =>
  tab === 'all' ? undefined : tab === 'overdue' ? isNotNull(complaints.inboxOverdue) : eq(complaints.inboxTab, tab);

/** Rows after (or, going back, before) the cursor in the order's direction; reading backwards flips the order. */
function keyset(order: Order, cursor: Cursor | null) {
  const backwards = cursor?.dir === 'prev';
  const descending = order.descending !== backwards;
  const after = cursor
    ? descending
      ? sql`(${order.key}, ${complaints.id}) < (${cursor.key}, ${cursor.id})`
      : sql`(${order.key}, ${complaints.id}) > (${cursor.key}, ${cursor.id})`
    : undefined;
  const dir = descending ? desc : asc;
  return {
    after,
    orderBy: order.key === complaints.id ? [dir(complaints.id)] : [dir(order.key), dir(complaints.id)],
    backwards,
    descending,
  };
}

function staffActor(ctx: Ctx): Actor & { providerId: number } {
  const actor = requireActor(ctx);
  if (actor.role !== 'provider_staff' || actor.providerId === null) throw new NotFound();
  return actor as Actor & { providerId: number };
}

export type InboxCounts = Record<Tab, number>;

export function merchantService(db: Db) {
  const countsOf = db
    .select({ tab: inboxCounts.tab, n: inboxCounts.n })
    .from(inboxCounts)
    .where(eq(inboxCounts.providerId, sql.placeholder('providerId')))
    .prepare();
  /** The inbox's rows with their provider, scoped. */
  const rowsOf = (actor: Actor, where: (SQL | undefined)[]) =>
    db
      .select({ complaint: complaints, provider: providers })
      .from(complaints)
      .innerJoin(providers, eq(providers.id, complaints.providerId))
      .where(scoped(actor, ...where))
      .$dynamic();

  /**
   * Title matches, newest first. CROSS JOIN makes FTS5 the outer loop whatever the statistics say: it walks this
   * provider's (and tab's) matching titles in rowid order and the LIMIT stops it; each match is then read by primary
   * key and checked against the scope. The cursor bounds FTS5's own rowid, so a later page starts where the last ended.
   */
  const titleRows = (
    actor: Actor,
    where: SQL[],
    match: string,
    k: ReturnType<typeof keyset>,
    cursor: Cursor | null,
    limit: number,
  ) => {
    const from = cursor
      ? k.descending
        ? sql`inbox_titles.rowid < ${cursor.id}`
        : sql`inbox_titles.rowid > ${cursor.id}`
      : undefined;
    return db
      .select({ complaint: complaints, provider: providers })
      .from(sql`inbox_titles`)
      .crossJoin(complaints)
      .innerJoin(providers, eq(providers.id, complaints.providerId))
      .where(
        scoped(actor, sql`inbox_titles MATCH ${match}`, from, sql`${complaints.id} = inbox_titles.rowid`, ...where),
      )
      .orderBy(k.descending ? sql`inbox_titles.rowid DESC` : sql`inbox_titles.rowid ASC`)
      .limit(limit + 1)
      .all();
  };

  const page = (actor: Actor, where: SQL[], order: Order, cursor: Cursor | null, limit: number) => {
    const k = keyset(order, cursor);
    return {
      rows: rowsOf(actor, [...where, k.after])
        .orderBy(...k.orderBy)
        .limit(limit + 1)
        .all(),
      k,
    };
  };

  return {
    inbox(ctx: Ctx, filters: InboxFilters) {
      const actor = staffActor(ctx);
      const { tab, cursor, limit } = filters;
      const where: SQL[] = [];
      const tabCond = tabCondition(tab);
      if (tabCond) where.push(tabCond);
      if (filters.status) where.push(eq(complaints.status, filters.status));
      if (filters.overdue === true && tab !== 'overdue') where.push(isNotNull(complaints.inboxOverdue));
      if (filters.overdue === false) where.push(isNull(complaints.inboxOverdue));

      let match: 'reference' | 'title' | null = null;
      let order = ORDER[tab];
      let fetched: { rows: ReturnType<typeof page>['rows']; k: ReturnType<typeof keyset> };
      const title: TitleQuery | null = filters.q ? titleMatch(filters.q, actor.providerId, tab) : null;
      const byReference =
        filters.q && !cursor ? rowsOf(actor, [eq(complaints.reference, filters.q.toUpperCase())]).all() : [];
      if (byReference.length) {
        match = 'reference';
        fetched = { rows: byReference, k: keyset(order, null) };
      } else if (filters.q) {
        // input.ts has turned away a q without words, so title is set here.
        match = 'title';
        order = BY_ID;
        const k = keyset(order, cursor);
        const rows = title ? titleRows(actor, where, title.match, k, cursor, limit) : [];
        fetched = { rows, k };
      } else {
        fetched = page(actor, where, order, cursor, limit);
      }

      const { k } = fetched;
      let rows = fetched.rows;
      const more = rows.length > limit;
      if (more) rows = rows.slice(0, limit);
      if (k.backwards) rows = rows.reverse();
      const keyOf = (c: (typeof rows)[number]['complaint']) =>
        Number(order.key === complaints.id ? c.id : order.key === complaints.createdAt ? c.createdAt : c.inboxDue);
      const at = (dir: 'next' | 'prev', r: (typeof rows)[number]) =>
        encodeCursor({ tab, dir, key: keyOf(r.complaint), id: r.complaint.id });
      // Going forward there is more after when the page overflowed, and something before whenever we came by cursor.
      const hasNext = match === 'reference' ? false : k.backwards ? true : more;
      const hasPrev = match === 'reference' ? false : k.backwards ? more : cursor !== null;
      const counts = this.counts(ctx);
      const plain = !filters.q && !filters.status && filters.overdue !== false;
      return {
        tab,
        match,
        rows,
        pageSize: limit,
        counts,
        total: plain ? counts[tab] : null,
        nextCursor: hasNext && rows.length ? at('next', rows.at(-1)!) : null,
        prevCursor: hasPrev && rows.length ? at('prev', rows[0]) : null,
      };
    },

    /** Tab counts for this staff member's provider only, read from the trigger-kept table. */
    counts(ctx: Ctx): InboxCounts {
      const actor = staffActor(ctx);
      const rows = countsOf.all({ providerId: actor.providerId });
      const n = (t: string) => rows.find((r) => r.tab === t)?.n ?? 0;
      return {
        todo: n('todo'),
        overdue: n('overdue'),
        consumer: n('consumer'),
        closed: n('closed'),
        all: n('todo') + n('consumer') + n('closed'),
      };
    },
  };
}

export type MerchantService = ReturnType<typeof merchantService>;
