// How the routes' schemas validate: a JSON body as sent ("amountFen": "12800" is not a number), the query string,
// path parameters and headers with coercion ("2" is 2: they are text by nature). Page forms post text too: their
// schemas declare strings (Loose, or a string or a list for a field that may repeat), so they validate as sent; fields
// read in the handler (multipart, the filing form) are checked with coercion (textValidator, schema-check.ts).
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

// Every problem at once (a form shows each beside its field), with the failing schema so messages carry its label.
const OPTIONS = { allErrors: true, verbose: true };
// fastify's own compiler: its defaults (useDefaults, removeAdditional, coerceTypes 'array'), ajv-formats; the instances
// are pooled by options and hold only compiled schemas.
const build = AjvCompiler();
const coercing = build({}, { customOptions: OPTIONS });
const strict = build({}, { customOptions: { ...OPTIONS, coerceTypes: false } });

/** The app's validator compiler (`app.setValidatorCompiler`): bodies strictly, every other part with coercion. */
export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = (route) =>
  (route.httpPart === 'body' ? strict : coercing)(route);

/** A validator for fields that arrived as text (multipart, forms read in the handler): "12" → 12, one value → a list. */
export const textValidator = (schema: FastifySchema) => coercing({ schema, method: '', url: '', httpPart: 'body' });
