// The OpenAPI description as JSON, and a readable docs page drawn from the same object (no external script: the CSP
// allows none, and the page works without JavaScript).
import type { FastifyInstance } from 'fastify';
import { openApiDocument } from './openapi.ts';

interface Param { name: string; in: string; required?: boolean; description?: string; schema?: { type?: string; enum?: string[] } }
interface Operation { tags: string[]; summary: string; description?: string; parameters?: Param[]; responses: Record<string, unknown>; requestBody?: unknown }

export default async function boardDocsRoutes(app: FastifyInstance) {
  const doc = openApiDocument(app.config.publicUrl);

  app.get('/api/v1/openapi.json', async (_req, reply) => reply.header('Cache-Control', 'public, max-age=300').send(doc));

  const groups = new Map<string, { method: string; path: string; op: Operation; codes: string }[]>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags[0];
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push({ method: method.toUpperCase(), path, op, codes: Object.keys(op.responses).join(' / ') });
    }
  }
  const sections = [...groups].map(([tag, ops]) => ({ tag, ops }));

  app.get('/api/docs', async (_req, reply) => reply.page('board/api-docs', { title: 'API 文档', sections, info: doc.info }));
}
