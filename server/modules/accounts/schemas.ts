// What the account routes accept and answer, declared once: fastify validates with these and the OpenAPI document is
// generated from them. The service still normalises (trim, lower-case e-mail) and applies the password rules.
import { Loose, Type } from '../../lib/schema.ts';
import { ROLES } from './schema.ts';

const Email = Type.String({ title: '邮箱', maxLength: 254, description: '登录用的邮箱' });
const Password = Type.String({ title: '密码', maxLength: 128 });

export const Registration = Type.Object({
  email: Email,
  password: Type.String({
    title: '密码',
    maxLength: 128,
    description: '10–128 位；不能是常见密码，不能包含邮箱或名字',
  }),
  displayName: Type.String({ title: '昵称', maxLength: 20, description: '2–20 个字，公开显示' }),
  realName: Type.Optional(Type.String({ title: '真实姓名', maxLength: 20, description: '不公开，只在转交机构时使用' })),
});

export const Credentials = Type.Object({ email: Email, password: Password });

/** Forms post strings and may leave fields out; the service says what is missing, beside the field. */
const Next = Loose('返回地址');
export const LoginForm = Type.Object({ email: Loose('邮箱', 254), password: Loose('密码', 128), next: Next });
export const RegistrationForm = Type.Object({
  email: Loose('邮箱', 254),
  password: Loose('密码', 128),
  displayName: Loose('昵称', 20),
  realName: Loose('真实姓名', 20),
  next: Next,
});
export const LoginPageQuery = Type.Object({ next: Next, reset: Loose('已重设', 10) });

export const PublicUser = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    displayName: Type.String(),
  },
  { title: '用户' },
);

export const UserBody = Type.Object({ user: PublicUser });
export const MeResponse = Type.Object({ user: Type.Union([PublicUser, Type.Null()]) });
