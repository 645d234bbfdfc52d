// What the admin and team screens show of an account, a team member and an audit entry: the same objects feed the
// pages and the JSON. Never a password hash, a two-factor secret or a token.
import type { User } from '../accounts/schema.ts';
import type { auditLog } from '../accounts/schema.ts';
import type { Provider } from '../providers/schema.ts';
import type { StaffRow } from './staff-service.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export const ROLE_LABELS: Record<User['role'], string> = {
  consumer: '消费者',
  provider_staff: '机构工作人员',
  admin: '管理员',
};

export const ACTION_LABELS: Record<string, string> = {
  'user.disable': '停用账户',
  'user.enable': '启用账户',
  'user.resend_verification': '重发验证邮件',
  'staff.create': '创建机构账户',
  'staff.invite': '邀请机构成员',
  'staff.resend_invite': '重发邀请',
  'staff.disable': '停用机构成员',
  'staff.enable': '启用机构成员',
  'staff.make_manager': '设为团队管理员',
  'staff.unmake_manager': '取消团队管理员',
  'provider.create': '新增机构',
  'provider.update': '修改机构',
  'setting.update': '修改站点设置',
};

export function toUserSummary(u: User, provider: Provider | undefined) {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    roleLabel: ROLE_LABELS[u.role],
    provider: provider ? { slug: provider.slug, name: provider.name } : null,
    createdAt: iso(u.createdAt)!,
    emailVerified: u.emailVerifiedAt !== null,
    disabled: u.disabledAt !== null,
    isManager: u.isManager,
  };
}

export function toUserDetail(u: User, provider: Provider | undefined, complaints: number) {
  return {
    ...toUserSummary(u, provider),
    emailVerifiedAt: iso(u.emailVerifiedAt),
    disabledAt: iso(u.disabledAt),
    twoFactor: u.totpSecret !== null,
    complaints,
  };
}

export function toStaffMember(u: StaffRow) {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    isManager: u.isManager,
    disabled: u.disabledAt !== null,
    emailVerified: u.emailVerifiedAt !== null,
    invitePending: u.invitePending,
    createdAt: iso(u.createdAt)!,
  };
}

type AuditRow = typeof auditLog.$inferSelect;
export function toAuditItem(r: AuditRow, actor: User | undefined) {
  return {
    id: r.id,
    at: iso(r.at)!,
    actor: actor ? { id: actor.id, email: actor.email, displayName: actor.displayName } : null,
    action: r.action,
    actionLabel: ACTION_LABELS[r.action] ?? r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    before: r.before ?? null,
    after: r.after ?? null,
  };
}
