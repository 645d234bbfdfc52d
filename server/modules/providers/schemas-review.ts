// What the admins' review of pending provider names accepts and answers (API and form). review-input.ts still trims,
// reads the date and applies the directory's rules (hotline shape, slug form).
import { Loose, Type } from '../../lib/schema.ts';
import { PublicProvider } from './schemas.ts';

export const VerifyBody = Type.Object({
  contactSource: Type.String({
    title: '联系方式来源',
    maxLength: 200,
    description: '从哪里核实了该机构的联系方式（必填）',
  }),
  hotline: Type.Optional(Type.Union([Type.String({ title: '客服电话', maxLength: 20 }), Type.Null()])),
  lastVerifiedAt: Type.Optional(
    Type.Union(
      [
        Type.String({ title: '核实日期', maxLength: 40, description: 'YYYY-MM-DD' }),
        Type.Integer({ title: '核实日期' }),
        Type.Null(),
      ],
      { title: '核实日期' },
    ),
  ),
  name: Type.Optional(Type.String({ title: '机构名称', maxLength: 60, description: '收录时更正的名称' })),
  slug: Type.Optional(Type.String({ title: '机构标识', maxLength: 40 })),
});
export const MergeBody = Type.Object({
  into: Type.String({ title: '要合并到的机构', maxLength: 40, description: '已收录机构的标识' }),
});
export const RejectBody = Type.Object({
  reason: Type.Optional(Type.Union([Type.String({ title: '驳回理由', maxLength: 200 }), Type.Null()])),
});

/** The page's one form: the action chosen and the fields of all three. */
export const ReviewForm = Type.Object({
  action: Loose('操作', 20),
  contactSource: Loose('联系方式来源', 200),
  hotline: Loose('客服电话', 20),
  lastVerifiedAt: Loose('核实日期', 40),
  name: Loose('机构名称', 60),
  slug: Loose('机构标识', 40),
  into: Loose('要合并到的机构', 40),
  reason: Loose('驳回理由', 200),
});
export const ReviewPageQuery = Type.Object({ done: Loose('结果', 20) });

export const PendingList = Type.Object({
  items: Type.Array(
    Type.Object({
      slug: Type.String(),
      name: Type.String({ description: '名称（个人信息已隐去）' }),
      personalData: Type.Boolean({ description: '名称含个人信息' }),
      complaints: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
      status: Type.String(),
      statusLabel: Type.String(),
    }),
  ),
});
export const Verified = Type.Object({ provider: PublicProvider });
export const Merged = Type.Object({
  provider: PublicProvider,
  moved: Type.Integer({ description: '转到目标机构的投诉数' }),
  aliasAdded: Type.Boolean(),
});
export const Rejected = Type.Object({ status: Type.Literal('rejected') });
