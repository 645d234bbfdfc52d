// Notifications by e-mail through the outbox (topic 'email'), one row per recipient.
// Recipients are resolved when the notification is enqueued, not when it is sent: the mail is about a moment (this
// reply, this breach), so it goes to the people concerned at that moment; one row per recipient lets each mailbox be
// retried or dead-lettered on its own without resending to the others; and the key names the recipient, so the same
// notification enqueued twice reaches nobody twice.
// The reads are prepared once for the app's connection: a deadline tick notifies for a thousand complaints at once.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import { NotFound } from '../../lib/errors.ts';
import { users } from '../accounts/schema.ts';
import { complaintEvents, complaints } from '../complaints/schema.ts';
import type { Outbox } from '../outbox/plugin.ts';
import { wantsMail } from './preferences.ts';

export interface Notification {
  complaintId: number;
  audience: 'consumer' | 'provider_staff';
  /** What happened, in code words: reply, request_info, propose_resolution, breach, warning, forwarded … */
  kind: string;
  subject: string;
  text: string;
  /**
   * What makes this notification unique for its complaint and kind. Default: the complaint's latest timeline event,
   * so the mail for "this reply" is enqueued once however often it is asked for.
   */
  key?: string;
  /** The complaint as the caller holds it, when it does: spares re-reading it (a deadline tick notifies in bulk). */
  complaint?: { userId: number; providerId: number; reference: string };
}

export interface EmailPayload {
  to: string;
  userId: number;
  subject: string;
  text: string;
  /** Absent for mail about the account itself (password reset, verification, invitation). */
  complaintId?: number;
  kind: string;
  /** The text holds a live link (reset, verification, invitation): emptied from the outbox as soon as it is sent. */
  purgeOnDone?: boolean;
}

export function notificationService(db: Db, outbox: Outbox, publicUrl: string) {
  const complaintOf = db
    .select({ userId: complaints.userId, providerId: complaints.providerId, reference: complaints.reference })
    .from(complaints)
    .where(eq(complaints.id, sql.placeholder('id')))
    .prepare();
  const consumer = db
    .select({ id: users.id, email: users.email, notifyPrefs: users.notifyPrefs })
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare();
  const staff = db
    .select({ id: users.id, email: users.email, notifyPrefs: users.notifyPrefs })
    .from(users)
    .where(and(eq(users.role, 'provider_staff'), eq(users.providerId, sql.placeholder('providerId'))))
    .prepare();
  const latestEvent = db
    .select({ id: complaintEvents.id })
    .from(complaintEvents)
    .where(eq(complaintEvents.complaintId, sql.placeholder('id')))
    .orderBy(desc(complaintEvents.id))
    .limit(1)
    .prepare();

  function recipients(n: Notification) {
    const c = n.complaint ?? complaintOf.get({ id: n.complaintId });
    if (!c) throw new NotFound('找不到该投诉');
    const people = n.audience === 'consumer' ? consumer.all({ id: c.userId }) : staff.all({ providerId: c.providerId });
    return { complaint: c, people };
  }

  return {
    /** Enqueues one e-mail per recipient inside the caller's transaction; returns how many rows were new. */
    notify(tx: Db, ctx: Ctx, n: Notification): number {
      const { complaint, people } = recipients(n);
      const discriminator = n.key ?? `e${latestEvent.get({ id: n.complaintId })?.id ?? 0}`;
      const link =
        n.audience === 'consumer'
          ? `${publicUrl}/complaints/${n.complaintId}`
          : `${publicUrl}/merchant/complaints/${n.complaintId}`;
      const text = `${n.text}\n\n投诉编号：${complaint.reference}\n查看详情：${link}\n\n——钱包投诉台（此邮件由系统发送，请勿直接回复）`;
      let created = 0;
      for (const p of people) {
        // The consumer chose which complaint mails they want (settings page); staff get every one.
        if (n.audience === 'consumer' && !wantsMail(p.notifyPrefs, n.kind)) continue;
        const payload: EmailPayload = {
          to: p.email,
          userId: p.id,
          subject: n.subject,
          text,
          complaintId: n.complaintId,
          kind: n.kind,
        };
        const id = outbox.enqueue(tx, ctx, {
          topic: 'email',
          complaintId: n.complaintId,
          channel: n.audience,
          payload,
          key: `email:${n.kind}:${n.complaintId}:${discriminator}:u${p.id}`,
        });
        if (id !== null) created++;
      }
      return created;
    },
  };
}

export type NotificationService = ReturnType<typeof notificationService>;
