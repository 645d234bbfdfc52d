// What the verification and settings routes accept and answer. The services still apply the rules (name length,
// password policy, known preference groups) and say what is wrong beside the field.
import { Loose, Type } from '../../lib/schema.ts';
import { NOTIFY_GROUPS } from '../notifications/preferences.ts';
import { ROLES } from './schema.ts';

export const VerifyToken = Type.Object({
  token: Type.String({ title: '验证链接', maxLength: 200, description: '邮件中链接的 token 参数' }),
});
export const VerifyForm = Type.Object({ token: Loose('验证链接', 200) });
export const VerifyPageQuery = Type.Object({ token: Loose('验证链接', 200) });
export const ResendForm = Type.Object({ next: Loose('返回地址') });

const NotifyPrefs = Type.Object(
  Object.fromEntries(NOTIFY_GROUPS.map((g) => [g.key, Type.Boolean({ title: g.label, description: g.label })])),
  { title: '投诉通知邮件', description: '每组是否发送邮件；账户安全相关邮件总会发送' },
);
const NotifyPatch = Type.Object(
  Object.fromEntries(
    NOTIFY_GROUPS.map((g) => [g.key, Type.Optional(Type.Boolean({ title: g.label, description: g.label }))]),
  ),
  { title: '投诉通知邮件（只改给出的项）' },
);

export const SettingsBody = Type.Object(
  {
    email: Type.String(),
    displayName: Type.String(),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    emailVerified: Type.Boolean({ description: '是否已通过邮件中的链接验证邮箱' }),
    notify: Type.Union([NotifyPrefs, Type.Null()], { description: '仅消费者账户有；其他账户为 null' }),
  },
  { title: '账户设置' },
);

export const SettingsPatch = Type.Object({
  displayName: Type.Optional(Type.String({ title: '昵称', maxLength: 20, description: '2–20 个字' })),
  notify: Type.Optional(NotifyPatch),
});

export const PasswordChange = Type.Object({
  currentPassword: Type.String({ title: '当前密码', maxLength: 128 }),
  newPassword: Type.String({
    title: '新密码',
    maxLength: 128,
    description: '10–128 位；不能是常见密码，不能包含邮箱或名字',
  }),
});

export const SessionItem = Type.Object(
  {
    id: Type.String({ description: '该登录的编号（不是 Cookie 的值）' }),
    browser: Type.String({ description: '浏览器与系统，如“Chrome · Windows”' }),
    createdAt: Type.String({ format: 'date-time', description: '登录时间' }),
    lastSeenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: '最近使用' }),
    current: Type.Boolean({ description: '是否为发出本请求的这次登录' }),
  },
  { title: '登录设备' },
);
export const SessionList = Type.Object({ items: Type.Array(SessionItem) });
export const EndedBody = Type.Object({ ended: Type.Integer({ description: '退出的登录数' }) });
export const SessionParams = Type.Object({ id: Type.String({ title: '登录编号', pattern: '^[0-9a-f]{16}$' }) });

/** The page forms: strings, possibly left out; the service says what is missing. */
export const ProfileForm = Type.Object({ displayName: Loose('昵称', 20) });
export const PasswordForm = Type.Object({
  currentPassword: Loose('当前密码', 128),
  newPassword: Loose('新密码', 128),
});
/** One ticked box posts a string, several a list (a body is not coerced: lib/schema-compiler.ts). */
export const NotifyForm = Type.Object({
  notify: Type.Optional(
    Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })], {
      title: '通知邮件',
    }),
  ),
});
/** A form that is only a button (and its _csrf field). */
export const ButtonForm = Type.Object({});
export const SettingsPageQuery = Type.Object({ done: Loose('完成的操作', 40) });
