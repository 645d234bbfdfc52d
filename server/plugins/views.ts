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
    const { engine, templates } = compiledAtStart(hbs);
    const partialsDir = join(VIEWS_DIR, 'partials');
    for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
      hbs.registerPartial(basename(file, '.hbs'), engine.compile(readFileSync(join(partialsDir, file), 'utf8')));
    }
    app.log.debug({ templates }, 'templates compiled');
    await app.register(view, {
      engine: { handlebars: engine },
      root: VIEWS_DIR,
      layout: 'layouts/main.hbs',
      viewExt: 'hbs',
      production: true, // each template read once, on its first render, and kept
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

/**
 * Compiled templates by their text, for every app of this process (tests build hundreds): the code a template compiles
 * to does not depend on the instance; `hbs.template` binds it to one instance's helpers and partials.
 */
const SPECS = new Map<string, TemplateSpecification>();

/**
 * Handlebars compiles a template (and a partial given as text) on its first render, tens of milliseconds of one
 * request's time on the event loop while everyone else waits. Here every template under views/ is compiled before
 * the app listens, and the engine handed to @fastify/view answers `compile(text)` from those by their text (a text
 * it has not seen is compiled at once, not on first use).
 */
export function compiledAtStart(hbs: typeof Handlebars): { engine: typeof Handlebars; templates: number } {
  const now = (text: string) => {
    let spec = SPECS.get(text);
    if (!spec) {
      spec = new Function(`return ${hbs.precompile(text)}`)() as TemplateSpecification;
      SPECS.set(text, spec);
    }
    return hbs.template(spec);
  };
  const byText = new Map<string, HandlebarsTemplateDelegate>();
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : [],
    );
  for (const file of files(VIEWS_DIR)) {
    const text = readFileSync(file, 'utf8');
    if (!byText.has(text)) byText.set(text, now(text));
  }
  const engine = Object.create(hbs) as typeof Handlebars;
  engine.compile = ((text: string) => byText.get(text) ?? now(text)) as typeof hbs.compile;
  return { engine, templates: byText.size };
}
