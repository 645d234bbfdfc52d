// The provider directory's API: the public list, and the admin's API to add, correct and staff providers. The pages
// (`/providers`, `/providers/:slug`) carry scorecard figures and are the board's (board/routes-pages.ts).
import type { FastifyInstance } from 'fastify';
import { body, requireRole } from '../../lib/http.ts';
import { readRegistration } from '../accounts/service.ts';
import { readProviderInput } from './input.ts';
import { toPublicProvider } from './view-model.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';
import { Fields } from '../../lib/validate.ts';
import { NAME_MAX } from './states.ts';

export default async function providerRoutes(app: FastifyInstance) {
  const reads = { rateLimit: { max: 600, timeWindow: '1 minute' } };

  app.get('/api/v1/providers', { config: reads }, async () => ({ items: app.providers.list().map(toPublicProvider) }));

  // The complaint form asks as the consumer types: only listed providers are ever named (suggest.ts).
  app.get('/api/v1/providers/suggest', { config: reads }, async (req) => {
    const f = new Fields(req.query as Record<string, unknown>);
    const q = f.string('q', '机构名称', { required: true, max: NAME_MAX });
    f.done();
    return { items: app.providerSuggester.suggest(q!) };
  });

  app.get('/api/v1/providers/:slug', { config: reads }, async (req) => toPublicProvider(app.providers.getListed((req.params as { slug: string }).slug)));

  app.post('/api/v1/admin/providers', { config: ADMIN_WRITE_LIMIT }, async (req, reply) => {
    requireRole(req, 'admin');
    const input = readProviderInput(body(req), true);
    const p = app.providers.create(req.ctx(), { ...input, slug: input.slug!, name: input.name! });
    return reply.code(201).send(toPublicProvider(p));
  });

  app.patch('/api/v1/admin/providers/:slug', { config: ADMIN_WRITE_LIMIT }, async (req) => {
    requireRole(req, 'admin');
    const p = app.providers.update(req.ctx(), (req.params as { slug: string }).slug, readProviderInput(body(req), false));
    return toPublicProvider(p);
  });

  app.post('/api/v1/admin/providers/:slug/staff', { config: ADMIN_WRITE_LIMIT }, async (req, reply) => {
    requireRole(req, 'admin');
    const provider = app.providers.get((req.params as { slug: string }).slug);
    const user = await app.accounts.createStaff(req.ctx(), provider.id, readRegistration(body(req)));
    return reply.code(201).send({ user: { id: user.id, email: user.email, role: user.role, displayName: user.displayName, provider: provider.slug } });
  });
}
