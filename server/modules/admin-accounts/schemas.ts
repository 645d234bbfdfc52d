// What the admin's account, team and audit routes accept and answer (pages and JSON share the query schemas).
import { Loose, Type } from '../../lib/schema.ts';
import { ROLES } from '../accounts/schema.ts';

const Before = Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, title: '翻页位置' }));
const Iso = Type.String({ format: 'date-time' });
const IsoOrNull = Type.Union([Iso, Type.Null()]);
const RoleEnum = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const UsersQuery = Type.Object({
  q: Loose('邮箱或昵称', 100),
  role: Type.Optional(Type.Union([...ROLES.map((r) => Type.Literal(r)), Type.Literal('')], { title: '角色' })),
  before: Before,
});

const ProviderRef = Type.Union([Type.Object({ slug: Type.String(), name: Type.String() }), Type.Null()]);

const summaryFields = {
  id: Type.Integer(),
  email: Type.String(),
  displayName: Type.String(),
  role: RoleEnum,
  roleLabel: Type.String(),
  provider: ProviderRef,
  createdAt: Iso,
  emailVerified: Type.Boolean(),
  disabled: Type.Boolean(),
  isManager: Type.Boolean({ description: '机构工作人员：是否为本机构团队管理员' }),
};
export const UserSummary = Type.Object(summaryFields, { title: '用户（管理视图）' });
export const UserDetail = Type.Object(
  {
    ...summaryFields,
    emailVerifiedAt: IsoOrNull,
    disabledAt: IsoOrNull,
    twoFactor: Type.Boolean({ description: '是否已开启两步验证' }),
    complaints: Type.Integer({ description: '此账户提交的投诉数' }),
  },
  { title: '用户详情（管理视图）' },
);
export const UserList = Type.Object({
  items: Type.Array(UserSummary),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: '下一页：作为 before 传回；null 表示没有更多' }),
});
export const Queued = Type.Object({ queued: Type.Boolean() });

export const StaffMember = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    displayName: Type.String(),
    isManager: Type.Boolean(),
    disabled: Type.Boolean(),
    emailVerified: Type.Boolean(),
    invitePending: Type.Boolean({ description: '已邀请、尚未设置密码' }),
    createdAt: Iso,
  },
  { title: '机构成员' },
);
export const StaffMemberBody = Type.Object({ user: StaffMember });
export const StaffList = Type.Object({
  provider: Type.Object({ slug: Type.String(), name: Type.String() }),
  canManage: Type.Boolean({ description: '当前用户能否邀请、停用或启用成员' }),
  items: Type.Array(StaffMember),
});

export const Invite = Type.Object({
  email: Type.String({ title: '邮箱', maxLength: 254 }),
  displayName: Type.String({ title: '姓名或称呼', maxLength: 20 }),
  manager: Type.Optional(Type.Boolean({ title: '团队管理员', description: '只有平台管理员可以指定' })),
});
export const ManagerBody = Type.Object({ manager: Type.Boolean({ title: '团队管理员' }) });
export const InviteForm = Type.Object({
  email: Loose('邮箱', 254),
  displayName: Loose('姓名或称呼', 20),
  manager: Loose('团队管理员', 10),
});
export const ManagerForm = Type.Object({ manager: Loose('团队管理员', 10) });

export const AuditQuery = Type.Object({
  targetType: Type.Optional(
    Type.Union(
      [
        Type.Literal('user'),
        Type.Literal('provider'),
        Type.Literal('setting'),
        Type.Literal('staff'),
        Type.Literal(''),
      ],
      { title: '对象类型' },
    ),
  ),
  targetId: Loose('对象编号', 80),
  before: Before,
});
export const AuditItem = Type.Object(
  {
    id: Type.Integer(),
    at: Iso,
    actor: Type.Union([
      Type.Object({ id: Type.Integer(), email: Type.String(), displayName: Type.String() }),
      Type.Null(),
    ]),
    action: Type.String(),
    actionLabel: Type.String(),
    targetType: Type.String(),
    targetId: Type.String(),
    before: Type.Unknown({ description: '变更前的记录（不含密码等机密）' }),
    after: Type.Unknown({ description: '变更后的记录' }),
  },
  { title: '审计记录' },
);
export const AuditList = Type.Object({
  items: Type.Array(AuditItem),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});

export const AcceptInviteQuery = Type.Object({ token: Loose('邀请链接', 200) });
export const AcceptInviteForm = Type.Object({
  token: Loose('邀请链接', 200),
  password: Loose('密码', 128),
  confirm: Loose('确认密码', 128),
});

export const ProvidersQuery = Type.Object({
  q: Loose('名称或标识', 60),
  verified: Type.Optional(
    Type.Union([Type.Literal('yes'), Type.Literal('no'), Type.Literal('')], { title: '核实状态' }),
  ),
  after: Before,
});
export const NewProviderForm = Type.Object({
  slug: Loose('机构标识', 40),
  name: Loose('机构名称', 60),
  hotline: Loose('客服电话', 40),
  website: Loose('官网', 200),
  contactSource: Loose('联系方式来源', 200),
});
