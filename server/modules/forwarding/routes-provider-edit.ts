// A small admin form to correct a provider's contacts and channels (the research task links here). It feeds the same
// input reader and verb as PATCH /api/v1/admin/providers/:slug.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { formAction, pageActor } from '../../lib/http.ts';
import { SlugParams } from '../../lib/schema.ts';
import { readProviderInput } from '../providers/input.ts';
import { contactsOf } from './channels.ts';
import { ProviderEditForm, SavedQuery } from './schemas.ts';
import { ADMIN_WRITE_LIMIT } from '../../lib/rate-limits.ts';

export default async function providerEditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const current = (slug: string) => {
    const p = app.providers.get(slug);
    const c = contactsOf(p, app.providers.channelsOf(p.id));
    return { p, c };
  };

  app.get(
    '/admin/providers/:slug/edit',
    { schema: { params: SlugParams, querystring: SavedQuery } },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      const { p, c } = current(req.params.slug);
      return reply.page('admin/provider-edit', {
        title: `编辑机构：${p.name}`,
        provider: p,
        hasSecret: !!c.webhook,
        values: {
          name: p.name,
          hotline: p.hotline ?? '',
          website: p.website ?? '',
          contactSource: p.contactSource ?? '',
          verified: p.verified,
          emailTo: c.email?.to ?? '',
          webhookUrl: c.webhook?.url ?? '',
        },
        saved: req.query.saved === '1',
      });
    },
  );

  app.post(
    '/admin/providers/:slug/edit',
    {
      config: ADMIN_WRITE_LIMIT,
      schema: { params: SlugParams, body: ProviderEditForm },
      attachValidation: true,
    },
    async (req, reply) => {
      if (!pageActor(req, reply, 'admin')) return reply;
      if (req.validationError?.validationContext === 'params') throw req.validationError;
      const { p, c } = current(req.params.slug);
      const f = req.body ?? {};
      const str = (k: keyof typeof f) => f[k]?.trim() ?? '';
      const webhookUrl = str('webhookUrl');
      // A blank secret keeps the one on file, so an admin fixing a URL need not know the secret.
      const secret = str('webhookSecret') || (webhookUrl ? (c.webhook?.secret ?? '') : '');
      const raw = {
        name: str('name'),
        hotline: str('hotline'),
        website: str('website'),
        contactSource: str('contactSource') || null,
        verified: f.verified === 'on' || f.verified === '1',
        channels: {
          email: str('emailTo') ? { to: str('emailTo') } : null,
          webhook: webhookUrl ? { url: webhookUrl, secret } : null,
        },
      };
      const view = {
        title: `编辑机构：${p.name}`,
        provider: p,
        hasSecret: !!c.webhook,
        values: { ...raw, emailTo: str('emailTo'), webhookUrl },
      };
      const ok = await formAction(reply, 'admin/provider-edit', view, () =>
        app.providers.update(req.ctx(), p.slug, readProviderInput(raw, false)),
      );
      if (!ok) return reply;
      return reply.redirect(`/admin/providers/${encodeURIComponent(p.slug)}/edit?saved=1`, 303);
    },
  );
}
