// Accepting a staff invitation: /accept-invite?token= shows the set-password form (GET never uses the token up);
// posting it sets the password, uses the token, signs the person in and opens the merchant portal. JSON twin:
// POST /api/v1/auth/accept-invite.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { body, formAction } from '../../lib/http.ts';
import { doc, responses, Type } from '../../lib/schema.ts';
import type { User } from '../accounts/schema.ts';
import { UserBody } from '../accounts/schemas.ts';
import { beginSession } from '../accounts/login-guard.ts';
import { AcceptInviteForm, AcceptInviteQuery } from './schemas.ts';

const limit = { rateLimit: { max: 10, timeWindow: '1 minute' } };

export default async function inviteRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // Like any login: the session held before ends, and the CSRF secret is replaced (accounts/login-guard.ts).
  const signIn = (req: FastifyRequest, reply: FastifyReply, user: User) => beginSession(fastify, req, reply, user);

  app.post(
    '/api/v1/auth/accept-invite',
    {
      config: limit,
      schema: {
        ...doc({ tag: '账户', summary: '接受机构成员邀请：设置密码并登录', csrf: true }),
        body: Type.Object({
          token: Type.String({ title: '邀请链接', maxLength: 200 }),
          password: Type.String({ title: '密码', maxLength: 128, description: '10–128 位；不能是常见密码' }),
        }),
        response: responses({ 200: UserBody }, 400, 403, 429),
      },
    },
    async (req, reply) => {
      const user = await app.invites.accept(req.ctx(), body(req));
      signIn(req, reply, user);
      return { user: { id: user.id, email: user.email, role: user.role, displayName: user.displayName } };
    },
  );

  const view = (req: FastifyRequest, token: string) => {
    const found = app.invites.peek(req.ctx(), token);
    return {
      title: '接受邀请',
      token,
      invited: found
        ? { email: found.user.email, displayName: found.user.displayName, provider: found.provider.name }
        : null,
    };
  };

  app.get('/accept-invite', { schema: { querystring: AcceptInviteQuery } }, async (req, reply) => {
    const v = view(req, req.query.token ?? '');
    return reply.page('accounts/accept-invite', v, v.invited ? 200 : 400);
  });

  app.post(
    '/accept-invite',
    { config: limit, schema: { body: AcceptInviteForm }, attachValidation: true },
    async (req, reply) => {
      const raw = body(req);
      const token = typeof raw.token === 'string' ? raw.token : '';
      const user = await formAction(
        reply,
        'accounts/accept-invite',
        () => view(req, token),
        () => app.invites.accept(req.ctx(), raw),
      );
      if (!user) return reply;
      signIn(req, reply, user);
      return reply.redirect('/merchant', 303);
    },
  );
}
