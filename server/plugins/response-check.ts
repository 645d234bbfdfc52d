// External plugin, on in tests (BuildOptions.checkResponses): a response schema is also a filter, since
// fast-json-stringify writes only the properties it lists and coerces the values to its types. A field added to a view
// model but not to the schema would silently vanish from the answer. This compares every serialised JSON answer with
// what the handler returned and turns any difference into a loud 500 naming the paths, so the whole test suite checks
// that no schema drops or changes a field.
import { isDeepStrictEqual } from 'node:util';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyReply {
    expectedJson?: string;
  }
}

/** Where two JSON values differ, as paths (`items.0.deadlines.firstResponseHours`). */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
    );
  }
  return [path || '(root)'];
}

export default fp(
  async (app) => {
    app.addHook('preSerialization', async (_req, reply, payload) => {
      if (payload && typeof payload === 'object' && !Buffer.isBuffer(payload))
        reply.expectedJson = JSON.stringify(payload);
      return payload;
    });
    app.addHook('onSend', async (req, reply, payload) => {
      if (reply.expectedJson === undefined || typeof payload !== 'string') return payload;
      const diff = differences(JSON.parse(reply.expectedJson), JSON.parse(payload));
      if (diff.length === 0) return payload;
      const message = `response schema of ${req.method} ${req.routeOptions.url} changed the answer at: ${diff.slice(0, 10).join(', ')}`;
      console.error(message);
      reply.code(500);
      return JSON.stringify({ error: { code: 'RESPONSE_SCHEMA', message } });
    });
  },
  { name: 'response-check' },
);
