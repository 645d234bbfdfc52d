// Admin: the audit log, newest first, 50 a page (keyset on id), optionally one target's history; page and JSON.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { pageActor, requireRole } from '../../lib/http.ts';
import { doc, responses } from '../../lib/schema.ts';
import type { User } from '../accounts/schema.ts';
import { AuditList, AuditQuery } from './schemas.ts';
import { toAuditItem } from './view-model.ts';

const PAGE = 50;

export default async function adminAuditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const read = (q: { targetType?: string; targetId?: string; before?: number }) => {
    const rows = app.audit.list({
      before: q.before,
      limit: PAGE + 1,
      targetType: q.targetType || undefined,
      targetId: q.targetId?.trim() || undefined,
    });
    const more = rows.length > PAGE;
    const page = more ? rows.slice(0, PAGE) : rows;
    const actors = new Map<number, User | undefined>();
    for (const r of page) if (r.actorId && !actors.has(r.actorId)) actors.set(r.actorId, app.accounts.get(r.actorId));
    return {
      items: page.map((r) => toAuditItem(r, r.actorId ? actors.get(r.actorId) : undefined)),
      nextBefore: more ? page[page.length - 1]!.id : null,
    };
  };

  app.get(
    '/api/v1/admin/audit',
    {
      schema: {
        ...doc({
          tag: '管理',
          summary: '审计日志：管理员与团队管理员的操作（谁、何时、做了什么、变更前后），最新在前，用 before 翻页',
          auth: '管理员',
        }),
        querystring: AuditQuery,
        response: responses({ 200: AuditList }, 400, 401, 404),
      },
    },
    async (req) => {
      requireRole(req, 'admin');
      return read(req.query);
    },
  );

  app.get('/admin/audit', { schema: { querystring: AuditQuery } }, async (req, reply) => {
    if (!pageActor(req, reply, 'admin')) return reply;
    const { items, nextBefore } = read(req.query);
    const filter = { targetType: req.query.targetType ?? '', targetId: req.query.targetId ?? '' };
    const next = new URLSearchParams(filter);
    if (nextBefore) next.set('before', String(nextBefore));
    return reply.page('admin/audit', {
      title: '审计日志',
      items: items.map((i) => ({
        ...i,
        beforeJson: i.before === null ? null : JSON.stringify(i.before, null, 1),
        afterJson: i.after === null ? null : JSON.stringify(i.after, null, 1),
        targetHref:
          i.targetType === 'user'
            ? `/admin/users/${i.targetId}`
            : i.targetType === 'provider'
              ? `/admin/providers/${encodeURIComponent(i.targetId)}/edit`
              : null,
      })),
      filter,
      nextHref: nextBefore ? `/admin/audit?${next}` : null,
      firstHref: req.query.before ? `/admin/audit?${new URLSearchParams(filter)}` : null,
    });
  });
}
