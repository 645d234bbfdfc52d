// App plugin: the provider directory, seeded on start (existing rows are never overwritten), and the suggester the
// complaint form asks which listed provider a typed name meant.
import { systemCtx } from '../../lib/ctx.ts';
import fp from 'fastify-plugin';
import { providerService, type ProviderService } from './service.ts';
import { ProviderSuggester } from './suggest.ts';

declare module 'fastify' {
  interface FastifyInstance {
    providers: ProviderService;
    providerSuggester: ProviderSuggester;
  }
}

export default fp(
  async (app) => {
    const providers = providerService(app.db);
    providers.seed(systemCtx(app.clock));
    app.decorate('providers', providers);
    // The directory changes rarely; its version is one aggregate read, so keys are rebuilt only after an admin's edit.
    const version = app.sqlite
      .prepare("SELECT count(*) || ':' || coalesce(max(updated_at), 0) FROM providers WHERE status = 'listed'")
      .pluck();
    app.decorate(
      'providerSuggester',
      new ProviderSuggester(
        () => providers.list(),
        () => String(version.get()),
      ),
    );
  },
  { name: 'providers', dependencies: ['db', 'clock'] },
);
