// Closing an account (个人信息保护法 art. 47): the person's open complaints are withdrawn through the lifecycle (their
// providers are told), and everything that names or reaches them is erased in one transaction: the account's names,
// address, phone, password, second factor, tokens and sessions; the private originals of their complaints; their
// attachments; the outbox payloads addressed to them or carrying their complaints. Afterwards, outside the
// transaction: the attachment files and the mail log's lines about them.
//
// What stays: the account row as a tombstone (id, role, times; 已注销用户, deleted-<id>@invalid, no password), because
// complaints and timeline events keep pointing at it; and each complaint reduced to what the public already saw: a
// case on the board keeps its anonymised public texts (its public view is rebuilt from them, unchanged, with a
// per-case pseudonym that no row links to anyone), every other complaint keeps only a placeholder text.
import type { FastifyInstance } from 'fastify';
import { and, eq, inArray, ne, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { requireActor, type Ctx } from '../../lib/ctx.ts';
import { Conflict, Invalid } from '../../lib/errors.ts';
import { anonymise } from '../anonymise/anonymise.ts';
import type { PublicCase } from '../board/public-case.ts';
import { isPublicEvent } from '../board/public-timeline.ts';
import { attachments, complaintDrafts, complaintEvents, complaints, type Complaint } from '../complaints/schema.ts';
import { OPEN_WITH_PROVIDER, canTransition } from '../complaints/states.ts';
import { applyTransition } from '../complaints/transitions.ts';
import { outbox, outboxAttempts } from '../outbox/schema.ts';
import { PURGED_PAYLOAD } from '../outbox/retention.ts';
import { verifyPassword } from './password.ts';
import { accountTokens, auditLog, recoveryCodes, sessions, users, type User } from './schema.ts';

export const ERASED_NAME = '已注销用户';
export const erasedEmail = (userId: number) => `deleted-${userId}@invalid`;
/** Not a scrypt hash: verifyPassword refuses every password against it. */
const NO_PASSWORD = '!closed';
const GONE_TITLE = '（已注销用户的投诉）';
const GONE_TEXT = '（投诉人已注销账户，投诉内容已按其要求删除。）';
const WITHDRAWN_BODY = '投诉人注销了账户，投诉随之撤回。';

/** What identifies the person in free text, gathered before the rows that hold it are erased. */
export interface Traces {
  email: string;
  names: string[];
  literals: string[];
  references: string[];
}

function tracesOf(user: User, own: Complaint[], fileNames: string[]): Traces {
  const literals = [
    user.email,
    user.phone,
    ...own.flatMap((c) => [c.transactionRef, c.contactPhone]),
    ...fileNames,
  ].filter((s): s is string => typeof s === 'string' && s.trim().length >= 5);
  return {
    email: user.email,
    names: [user.realName, user.displayName].filter((n): n is string => !!n && n.trim().length >= 2),
    literals: [...new Set(literals)],
    references: own.map((c) => c.reference),
  };
}

/** A text by someone else (a provider's reply, an admin's reason) with the person's names and details taken out. */
function scrubber(t: Traces) {
  return (text: string) => {
    let out = anonymise(text, { knownNames: t.names }).text;
    for (const s of [...t.literals, ...t.names]) out = out.replaceAll(s, '[已删除]');
    return out;
  };
}

/**
 * An event's extras: numbers and ratings stay; the person's own words (a withdrawal's reason) go; words by others
 * (a rejection's reason) lose the person's names and details.
 */
function scrubData(data: Record<string, unknown>, byConsumer: boolean, scrub: (s: string) => string) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') out[k] = v;
    else if (!byConsumer) out[k] = scrub(v);
  }
  return out;
}

export function accountCloser(app: FastifyInstance) {
  const { db } = app;

  /** Staff accounts belong to their provider; the last admin would leave the platform without one. */
  function refuseRole(user: User) {
    if (user.role === 'provider_staff')
      throw new Conflict(
        '机构工作人员的账号由所在机构管理，不能自行注销。请联系你所在机构的管理员或平台管理员停用账号。',
        'STAFF_ACCOUNT',
      );
    if (user.role === 'admin') {
      const others = db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, 'admin'), ne(users.id, user.id), isNull(users.disabledAt)))
        .get();
      if (!others) throw new Conflict('你是平台唯一的管理员，注销前请先设置另一位管理员。', 'LAST_ADMIN');
    }
  }

  /** The complaints withdrawn and the outbox rows emptied, inside the caller's transaction. */
  function eraseComplaints(tx: Db, ctx: Ctx, t: Traces, ids: number[]) {
    const actor = requireActor(ctx);
    const now = ctx.clock.now();
    const scrub = scrubber(t);
    const withdrawn: { id: number; reference: string; eventId: number; wasWithProvider: boolean }[] = [];
    for (const id of ids) {
      const { complaint, provider } = app.complaints.load({ ...ctx, tx }, id);
      const check = canTransition(complaint, 'withdraw', actor, now);
      if (!check.ok) continue;
      const done = applyTransition(app.lifecycle.transitionDeps, tx, ctx, complaint, provider, 'withdraw', check.to, {
        actor,
        body: WITHDRAWN_BODY,
        data: { reason: 'account_closed' },
      });
      withdrawn.push({
        id,
        reference: complaint.reference,
        eventId: done.eventId,
        wasWithProvider: OPEN_WITH_PROVIDER.includes(complaint.status),
      });
    }

    const ours = new Set(withdrawn.map((w) => w.eventId));
    for (const id of ids) {
      // What the public sees now (withdrawn cases have just left the board): the only text of theirs that stays.
      const row = tx.get<{ doc: string } | undefined>(sql`SELECT doc FROM public_cases WHERE complaint_id = ${id}`);
      const pub = row ? (JSON.parse(row.doc) as PublicCase) : null;
      tx.update(complaints)
        .set({
          title: pub?.title ?? GONE_TITLE,
          description: pub?.description ?? GONE_TEXT,
          transactionRef: null,
          contactPhone: null,
          shareContact: false,
          submissionKey: null,
          updatedAt: now,
        })
        .where(eq(complaints.id, id))
        .run();
      const events = tx.select().from(complaintEvents).where(eq(complaintEvents.complaintId, id)).all();
      const publicBodies = new Map<number, string | null>();
      // The public timeline lists the public events in order: each one's public text is the one to keep.
      if (pub)
        for (const [i, e] of events.filter(isPublicEvent).entries())
          publicBodies.set(e.id, pub.timeline[i]?.body ?? null);
      for (const e of events) {
        if (ours.has(e.id)) continue;
        const body =
          e.body === null
            ? null
            : publicBodies.has(e.id)
              ? (publicBodies.get(e.id) ?? null)
              : e.actorRole === 'consumer'
                ? null
                : scrub(e.body);
        const data = e.data ? scrubData(e.data, e.actorRole === 'consumer', scrub) : e.data;
        if (body !== e.body || JSON.stringify(data) !== JSON.stringify(e.data))
          tx.update(complaintEvents).set({ body, data }).where(eq(complaintEvents.id, e.id)).run();
      }
    }
    tx.delete(attachments).where(inArray(attachments.complaintId, ids)).run();

    // Deliveries and mails about their complaints carry the texts and contact details: emptied, and cancelled if
    // not sent yet. Search sync rows carry no text and must still run (the board forgets the withdrawn cases).
    const rows = tx
      .select({ id: outbox.id, status: outbox.status })
      .from(outbox)
      .where(
        sql`(${outbox.topic} = 'email' AND json_extract(${outbox.payload}, '$.userId') = ${actor.id})
          OR (${outbox.topic} IN ('email', 'delivery') AND ${ids.length ? inArray(outbox.complaintId, ids) : sql`0`})`,
      )
      .all();
    for (const r of rows) {
      const cancel = r.status === 'pending' || r.status === 'sending';
      tx.update(outbox)
        .set({
          payload: JSON.parse(PURGED_PAYLOAD),
          lastError: cancel ? '投诉人已注销账户，未发送' : null,
          purgedAt: now,
          ...(cancel ? { status: 'dead' as const, claimedBy: null, claimExpiresAt: null, doneAt: now } : {}),
        })
        .where(eq(outbox.id, r.id))
        .run();
      tx.update(outboxAttempts).set({ detail: null }).where(eq(outboxAttempts.outboxId, r.id)).run();
    }

    // The provider is told, in words that carry nothing about the person.
    for (const w of withdrawn.filter((x) => x.wasWithProvider)) {
      app.notifications.notify(tx, ctx, {
        complaintId: w.id,
        audience: 'provider_staff',
        kind: 'consumer_withdraw',
        subject: `【钱包投诉台】${w.reference} 投诉人已撤诉`,
        text: `投诉 ${w.reference} 的投诉人注销了账户，投诉随之撤回，无需再处理。按投诉人的要求，投诉内容和联系方式已删除。`,
        key: `e${w.eventId}`,
      });
    }
  }

  function eraseAccount(tx: Db, ctx: Ctx, user: User) {
    const now = ctx.clock.now();
    tx.update(users)
      .set({
        email: erasedEmail(user.id),
        displayName: ERASED_NAME,
        realName: null,
        phone: null,
        passwordHash: NO_PASSWORD,
        emailVerifiedAt: null,
        disabledAt: now,
        isManager: false,
        notifyPrefs: null,
        passwordChangedAt: now,
        failedLogins: 0,
        loginBlockedUntil: null,
        totpSecret: null,
        totpPendingSecret: null,
        updatedAt: now,
      })
      .where(eq(users.id, user.id))
      .run();
    tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
    tx.delete(accountTokens).where(eq(accountTokens.userId, user.id)).run();
    tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).run();
    // The account row stays (a tombstone), so nothing cascades: the unfinished filing form goes by hand.
    tx.delete(complaintDrafts).where(eq(complaintDrafts.userId, user.id)).run();
    // Earlier admin actions on this account recorded the account as it was (its address, its name).
    tx.update(auditLog)
      .set({ before: null, after: null })
      .where(and(inArray(auditLog.targetType, ['user', 'staff']), eq(auditLog.targetId, String(user.id))))
      .run();
    app.audit.record({ ...ctx, tx }, { action: 'account.close', targetType: 'user', targetId: user.id });
  }

  return {
    /**
     * Closes the signed-in account after checking its password. Staff cannot (their provider manages them); the last
     * admin cannot. Returns once the database, the attachment files and the mail log hold nothing of the person.
     */
    async close(ctx: Ctx, raw: Record<string, unknown>): Promise<void> {
      const actor = requireActor(ctx);
      const user = app.accounts.get(actor.id);
      if (!user) throw new Invalid({ password: '账户不存在' });
      refuseRole(user);
      const password = typeof raw.password === 'string' ? raw.password : '';
      if (!password) throw new Invalid({ password: '请填写密码' });
      if (!(await verifyPassword(password, user.passwordHash)))
        throw new Invalid({ password: '密码不正确' }, 'BAD_PASSWORD');

      const own = db.select().from(complaints).where(eq(complaints.userId, user.id)).all();
      const ids = own.map((c) => c.id);
      const files = ids.length ? db.select().from(attachments).where(inArray(attachments.complaintId, ids)).all() : [];
      const traces = tracesOf(
        user,
        own,
        files.map((f) => f.originalName),
      );
      db.transaction((tx) => {
        const inTx: Ctx = { ...ctx, tx };
        eraseComplaints(tx, inTx, traces, ids);
        eraseAccount(tx, inTx, user);
        // Rebuilt from the anonymised rows: a public case stays as it was, now built from nothing personal.
        for (const id of ids) app.board.refresh(tx, inTx, id);
      });

      // Files are shared by content: one stays while another complaint still holds the same bytes.
      for (const sha of new Set(files.map((f) => f.sha256))) {
        if (!db.select({ id: attachments.id }).from(attachments).where(eq(attachments.sha256, sha)).get())
          await app.attachmentStore.remove(sha);
      }
      await app.mailer.forget([traces.email, ...traces.names, ...traces.literals, ...traces.references]);
    },
  };
}

export type AccountCloser = ReturnType<typeof accountCloser>;
