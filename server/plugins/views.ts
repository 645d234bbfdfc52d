// External plugin: Handlebars pages (one instance per app, escaped by default) and the static stylesheet/script.
import fp from 'fastify-plugin';
import view from '@fastify/view';
import fastifyStatic from '@fastify/static';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { registerHelpers } from '../lib/view-helpers.ts';
import { VIEWS_DIR } from '../lib/paths.ts';

export { VIEWS_DIR };

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page inside the layout with the actor, a CSRF token and the page title. */
    page(template: string, data: Record<string, unknown>, status?: number): FastifyReply;
  }
}

export default fp(
  async (app) => {
    const hbs = Handlebars.create();
    registerHelpers(hbs);
    const partialsDir = join(VIEWS_DIR, 'partials');
    for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
      hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
    }
    await app.register(view, {
      engine: { handlebars: hbs },
      root: VIEWS_DIR,
      layout: 'layouts/main.hbs',
      viewExt: 'hbs',
      production: true, // templates compiled once at start, not read and compiled on every render
    });
    await app.register(fastifyStatic, { root: join(VIEWS_DIR, 'static'), prefix: '/static/', maxAge: 3600_000 });

    app.decorateReply(
      'page',
      function (this: FastifyReply, template: string, data: Record<string, unknown>, status = 200) {
        const req = this.request;
        const actor = req.actor;
        this.code(status).header('Cache-Control', 'no-store');
        // A form's errors by field: the summary links each message to its field (ids are the field names).
        const errors = data.errors as Record<string, string> | undefined;
        const errorLinks =
          errors && typeof errors === 'object' && Object.keys(errors).length
            ? Object.entries(errors).map(([field, message]) => ({ field, message }))
            : undefined;
        return this.view(template, {
          errorLinks,
          ...data,
          actor,
          isConsumer: actor?.role === 'consumer',
          isStaff: actor?.role === 'provider_staff',
          isAdmin: actor?.role === 'admin',
          csrfToken: this.generateCsrf(),
          path: req.url,
        });
      },
    );
  },
  { name: 'views', dependencies: ['session'] },
);
