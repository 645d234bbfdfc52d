// A body read in the handler (multipart is read only after the guards, so fastify cannot validate it) is checked
// against the same schema fastify applies to JSON, with fastify's own validator: the same labels and Chinese messages,
// whichever way the fields arrived. They arrived as text, so unlike a JSON body they are coerced (schema-compiler.ts).
import type { FastifySchemaValidationError } from 'fastify';
import { Invalid } from './errors.ts';
import type { TSchema } from './schema.ts';
import { validationFields } from './schema-errors.ts';
import { textValidator } from './schema-compiler.ts';

export interface Checked {
  value: Record<string, unknown>;
  problems: Record<string, string>;
}

/**
 * Checks a copy of `fields` (the validator coerces it: "12" → 12, one checkbox → a list) and returns it with what
 * the schema refused, one message per field. Form transport is undone first: a textarea's CRLF is one line break,
 * and with `emptyIsAbsent` an empty input is a field not given (a new complaint; an edit's empty field clears it).
 */
export function checkSchema(
  schema: TSchema,
  fields: Record<string, unknown>,
  opts: { emptyIsAbsent?: boolean } = {},
): Checked {
  const value: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === '' && opts.emptyIsAbsent) continue;
    value[k] = typeof v === 'string' && v.includes('\r') ? v.replace(/\r\n?/g, '\n') : v;
  }
  const validate = textValidator(schema);
  if (validate(value)) return { value, problems: {} };
  return { value, problems: validationFields((validate.errors ?? []) as FastifySchemaValidationError[]) };
}

/**
 * Checks the fields against the schema, then reads the checked copy with the domain reader (normalisation and the
 * rules a schema cannot say). Every problem comes back at once, beside its field; where both speak, the schema's
 * message is kept.
 */
export function readChecked<T>(
  schema: TSchema,
  fields: Record<string, unknown>,
  read: (fields: Record<string, unknown>) => T,
): T {
  const { value, problems } = checkSchema(schema, fields, { emptyIsAbsent: true });
  let out: T;
  try {
    out = read(value);
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    throw new Invalid({ ...err.errors, ...problems });
  }
  if (Object.keys(problems).length) throw new Invalid(problems);
  return out;
}
