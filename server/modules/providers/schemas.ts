// What the provider directory's routes accept and answer. The input reader (input.ts) still normalises (trim, split
// aliases, a blank field clears it) and applies the rules between fields; the schemas refuse wrong types and sizes.
import { Type } from '../../lib/schema.ts';
import { MATCHED_BY } from './suggest.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Optional(Type.Union([s, Type.Null()]));

const channels = Type.Object(
  {
    webhook: Type.Optional(
      Type.Union(
        [
          Type.Object({
            url: Type.String({ title: 'Webhook 地址', maxLength: 500, description: '以 http:// 或 https:// 开头' }),
            secret: Type.String({ title: 'Webhook 密钥', maxLength: 200, description: '至少 16 位，用于签名' }),
          }),
          Type.Null(),
        ],
        { description: '为 null 时删除' },
      ),
    ),
    email: Type.Optional(
      Type.Union([Type.Object({ to: Type.String({ title: '投诉邮箱', maxLength: 254 }) }), Type.Null()], {
        description: '为 null 时删除',
      }),
    ),
  },
  { title: '转交渠道' },
);

const fields = {
  name: Type.Optional(Type.String({ title: '机构名称', maxLength: 60 })),
  // Items untyped on purpose: the reader (input.ts) refuses an item that is not text or is over 40 characters with one
  // message on `aliases`, the field the form shows; a schema error would name `aliases/3` instead.
  aliases: Type.Optional(
    Type.Union(
      [
        Type.Array(Type.Unknown({ description: '别名（文字，每个不超过 40 字）' }), { maxItems: 50 }),
        Type.String({ title: '别名', maxLength: 2000 }),
      ],
      { title: '别名', description: '别名列表（文字），或以逗号、顿号分隔的一段文字' },
    ),
  ),
  hotline: Nullable(
    Type.String({ title: '客服电话', maxLength: 20, description: '例如 95188 或 400-123-4567；空或 null 清除' }),
  ),
  website: Nullable(Type.String({ title: '网址', maxLength: 500 })),
  contactSource: Nullable(
    Type.String({ title: '联系方式来源', maxLength: 200, description: '修改联系方式时注明从哪里核实' }),
  ),
  lastVerifiedAt: Type.Optional(
    Type.Union([Type.Integer({ title: '核实日期' }), Type.String({ title: '核实日期', maxLength: 40 }), Type.Null()], {
      title: '核实日期',
      description: '毫秒时间戳或 ISO 日期',
    }),
  ),
  verified: Type.Optional(Type.Boolean({ title: '已核实' })),
  channels: Type.Optional(channels),
};

export const NewProvider = Type.Object({
  slug: Type.String({ title: '机构标识', maxLength: 40, description: '小写字母、数字和连字符，2-40 位' }),
  ...fields,
  name: Type.String({ title: '机构名称', maxLength: 60 }),
});
export const ProviderPatch = Type.Object({
  slug: Type.Optional(Type.String({ title: '机构标识', maxLength: 40 })),
  ...fields,
});

export const NewStaff = Type.Object({
  email: Type.String({ title: '邮箱', maxLength: 254 }),
  password: Type.String({ title: '密码', minLength: 8, maxLength: 128 }),
  displayName: Type.String({ title: '昵称', maxLength: 20 }),
  realName: Type.Optional(Type.String({ title: '真实姓名', maxLength: 20 })),
});

export const PublicProvider = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    aliases: Type.Array(Type.String()),
    hotline: Type.Union([Type.String(), Type.Null()]),
    verified: Type.Boolean(),
    contactSource: Type.Union([Type.String(), Type.Null()]),
    lastVerifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: '机构' },
);
export const ProviderList = Type.Object({ items: Type.Array(PublicProvider) });
export const StaffCreated = Type.Object({
  user: Type.Object({
    id: Type.Integer(),
    email: Type.String(),
    role: Type.String(),
    displayName: Type.String(),
    provider: Type.String({ description: '机构标识' }),
  }),
});

export const SuggestQuery = Type.Object({
  q: Type.String({ title: '机构名称', maxLength: 200, description: '消费者输入的机构名称（最多 40 字）' }),
});
export const SuggestList = Type.Object({
  items: Type.Array(
    Type.Object({
      slug: Type.String(),
      name: Type.String(),
      matchedBy: Type.Union(
        MATCHED_BY.map((m) => Type.Literal(m)),
        { description: 'name 名称、alias 别名、pinyin 拼音、initials 首字母、spelling 相近写法' },
      ),
    }),
  ),
});
