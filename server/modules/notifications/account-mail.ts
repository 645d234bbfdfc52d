// E-mail about the account itself (password reset, address verification, staff invitation, account closed), through
// the same outbox topic 'email' as complaint notifications: enqueued in the caller's transaction, retried, logged.
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import type { Outbox } from '../outbox/plugin.ts';
import type { EmailPayload } from './notify.ts';

export interface AccountMail {
  userId: number;
  to: string;
  /** Code word: password_reset, verify_email, invite, password_changed, account_closed … */
  kind: string;
  subject: string;
  text: string;
  /** Unique for this mail (e.g. the token's hash prefix): the same mail enqueued twice is sent once. */
  key: string;
  /**
   * The text holds a live secret (a reset, verification or invitation link): the outbox must not keep it once sent.
   * Set as `purgeOnDone` in the payload.
   */
  secret?: boolean;
}

export function accountMailer(outbox: Outbox) {
  return {
    /** Enqueues the mail inside the caller's transaction; answers whether it was new. */
    send(tx: Db, ctx: Ctx, m: AccountMail): boolean {
      const payload: EmailPayload = {
        to: m.to,
        userId: m.userId,
        subject: m.subject,
        text: `${m.text}\n\n——钱包投诉台（此邮件由系统发送，请勿直接回复）`,
        kind: m.kind,
        ...(m.secret ? { purgeOnDone: true } : {}),
      };
      return (
        outbox.enqueue(tx, ctx, {
          topic: 'email',
          channel: 'account',
          payload,
          key: `email:${m.kind}:u${m.userId}:${m.key}`,
        }) !== null
      );
    },
  };
}

export type AccountMailer = ReturnType<typeof accountMailer>;
