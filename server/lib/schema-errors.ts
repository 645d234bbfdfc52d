// Turns what the JSON-schema validator found into the project's Invalid error: one readable Chinese message per field,
// named by the schema's `title` (the label people see beside the field), so JSON clients and re-rendered forms get the
// same {code, message, field} as any other bad input.
import type { FastifySchemaValidationError } from 'fastify';
import { Invalid } from './errors.ts';

interface Labelled {
  title?: string;
  properties?: Record<string, { title?: string }>;
}
/** With ajv's `verbose`, each error carries the schema it failed (`parentSchema`), where the label lives. */
type ErrorObject = FastifySchemaValidationError & { parentSchema?: unknown };

/** `/channels/webhook/url` → `channels.webhook.url`; the key the form and the client know the field by. */
const fieldOf = (e: ErrorObject, extra?: string) =>
  [...e.instancePath.split('/').slice(1), ...(extra ? [extra] : [])]
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');

function labelOf(e: ErrorObject, field: string): string {
  const parent = e.parentSchema as Labelled | undefined;
  if (e.keyword === 'required')
    return parent?.properties?.[String(e.params.missingProperty)]?.title ?? String(e.params.missingProperty);
  return parent?.title ?? (field || '输入');
}

function messageFor(e: ErrorObject, label: string): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `请填写${label}`;
    case 'minLength':
      return `${label}至少需要 ${p.limit} 个字`;
    case 'maxLength':
      return `${label}不能超过 ${p.limit} 个字`;
    case 'minimum':
      return `${label}不能小于 ${p.limit}`;
    case 'exclusiveMinimum':
      return `${label}必须大于 ${p.limit}`;
    case 'maximum':
      return `${label}不能大于 ${p.limit}`;
    case 'exclusiveMaximum':
      return `${label}必须小于 ${p.limit}`;
    case 'minItems':
      return `${label}至少需要 ${p.limit} 项`;
    case 'maxItems':
      return `${label}最多 ${p.limit} 项`;
    case 'enum':
    case 'const':
      return `${label}不是可选的值`;
    case 'additionalProperties':
      return `不支持的字段：${p.additionalProperty}`;
    case 'type':
      if (p.type === 'integer') return `${label}必须是整数`;
      if (p.type === 'number') return `${label}必须是数字`;
      if (p.type === 'boolean') return `${label}必须是 true 或 false`;
      return `${label}格式不正确`;
    default:
      return `${label}格式不正确`;
  }
}

/** One message per field, the first problem found for it; the first field leads (message and field of the error). */
export function validationFields(errors: readonly ErrorObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    // anyOf/oneOf report every branch that failed and then themselves: the summary is enough.
    if (e.keyword === 'if') continue;
    const field =
      e.keyword === 'required'
        ? fieldOf(e, String(e.params.missingProperty))
        : e.keyword === 'additionalProperties'
          ? fieldOf(e, String(e.params.additionalProperty))
          : fieldOf(e);
    if (field in out) continue;
    out[field] = messageFor(e, labelOf(e, field));
  }
  return out;
}

/** fastify's `schemaErrorFormatter`: the validation error becomes Invalid (400, code INVALID, message, field). */
export function schemaErrorFormatter(errors: ErrorObject[], _context: string): Error {
  const fields = validationFields(errors);
  return new Invalid(Object.keys(fields).length ? fields : { '': '输入有误' });
}
