// The invitation mail: a fresh `invite` token (7 days, once; earlier links stop working) and the link to choose a
// password, sent through the outbox as a secret mail in the caller's transaction.
import type { Db } from '../../db/database.ts';
import type { Ctx } from '../../lib/ctx.ts';
import type { User } from '../accounts/schema.ts';
import { hashToken } from '../accounts/tokens.ts';
import type { Provider } from '../providers/schema.ts';
import type { UsersDeps } from './users-service.ts';

export const INVITE_TTL_MS = 7 * 24 * 3600_000;

export function mailInvite(tx: Db, ctx: Ctx, deps: UsersDeps, u: User, provider: Provider, inviter: string): void {
  const tctx = { ...ctx, tx };
  const token = deps.tokens.issue(tctx, u.id, 'invite', INVITE_TTL_MS);
  deps.mail.send(tx, tctx, {
    userId: u.id,
    to: u.email,
    kind: 'invite',
    subject: `邀请你加入钱包投诉台：${provider.name}`,
    text: `${u.displayName}，你好：\n\n${inviter} 邀请你以「${provider.name}」工作人员的身份使用钱包投诉台，查看并回复转交给本机构的消费者投诉。\n\n请在 7 天内打开下面的链接设置密码（只能使用一次）：\n${deps.publicUrl}/accept-invite?token=${token}\n\n如果你不认识邀请人，请忽略此邮件。`,
    key: hashToken(token).slice(0, 16),
    secret: true,
  });
}
