// What the data routes (export, closing the account) accept and answer. The export reuses the complaint's own private
// view schema, so the answer cannot silently drop a field the complaint page shows.
import { Loose, Type, type TSchema } from '../../lib/schema.ts';
import { ComplaintView } from '../complaints/schemas.ts';
import { ROLES } from './schema.ts';

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Iso = Type.String({ format: 'date-time' });

export const CloseAccountBody = Type.Object(
  { password: Type.String({ title: '密码', maxLength: 128, description: '当前密码，确认是本人操作' }) },
  { title: '注销账户' },
);

/** The page's form: the password and the checkbox saying the consequences were read. */
export const CloseAccountForm = Type.Object({ password: Loose('密码', 128), confirm: Loose('确认', 10) });

export const AccountExportBody = Type.Object(
  {
    exportedAt: Iso,
    profile: Type.Object(
      {
        id: Type.Integer(),
        email: Type.String(),
        displayName: Type.String(),
        realName: Nullable(Type.String()),
        phone: Nullable(Type.String()),
        role: Type.Union(ROLES.map((r) => Type.Literal(r))),
        createdAt: Iso,
        emailVerified: Type.Boolean(),
        emailVerifiedAt: Nullable(Iso),
        twoFactor: Type.Boolean({ description: '是否启用了两步验证（不导出密钥）' }),
        notifyPrefs: Type.Record(Type.String(), Type.Boolean(), { description: '各类邮件通知是否发送' }),
      },
      { title: '账户资料' },
    ),
    complaints: Type.Array(ComplaintView, {
      description: '本人的投诉，与投诉详情接口的内容相同（含时间线、附件、转交记录）',
    }),
    attachments: Type.Array(
      Type.Object({
        complaintId: Type.Integer(),
        reference: Type.String(),
        name: Type.String(),
        mime: Type.String(),
        sizeBytes: Type.Integer(),
        url: Type.String({ description: '下载地址（需登录本账户）' }),
      }),
    ),
    ratings: Type.Array(
      Type.Object({
        complaintId: Type.Integer(),
        reference: Type.String(),
        attitude: Type.Integer(),
        speed: Type.Integer(),
        satisfaction: Type.Integer(),
        at: Nullable(Iso),
      }),
    ),
    notifications: Type.Array(
      Type.Object({
        kind: Type.String(),
        subject: Type.String(),
        complaintId: Nullable(Type.Integer()),
        status: Type.String({ description: 'pending 待发送、sending 发送中、done 已发送、dead 发送失败' }),
        queuedAt: Iso,
        sentAt: Nullable(Iso),
      }),
      { description: '发给本账户的邮件（邮件正文按保留期限删除后不再列出）' },
    ),
    sessions: Type.Array(
      Type.Object({
        createdAt: Iso,
        lastSeenAt: Nullable(Iso),
        expiresAt: Iso,
        userAgent: Nullable(Type.String()),
        current: Type.Boolean({ description: '是否为发出本次请求的会话' }),
      }),
      { description: '仍有效的登录会话（不含会话密钥）' },
    ),
    draft: Nullable(
      Type.Object(
        { fields: Type.Record(Type.String(), Type.Unknown()), updatedAt: Iso },
        { description: '保存的投诉草稿（只含文字，不含文件）' },
      ),
    ),
  },
  { title: '账户数据导出' },
);
