// What a request log line says about the request: method, the matched route's pattern and the names of the query's
// parameters. Never the path as sent, the query's values, cookies or headers: a reader searching for their own phone
// number (`/cases?q=150…`) or opening `/complaints/123?token=…` must not end up in a log file kept for months.
import type { FastifyRequest } from 'fastify';

export type LoggedRequest = { method: string; route: string; queryKeys?: string[] };

export function requestForLog(req: FastifyRequest): LoggedRequest {
  const url = req.raw?.url ?? req.url ?? '';
  const q = url.indexOf('?');
  const keys = q < 0 ? [] : [...new Set(new URLSearchParams(url.slice(q + 1)).keys())];
  // Unmatched requests (404) have no pattern: their path is whatever the client sent, so it is not logged either.
  const route = req.routeOptions?.url ?? '(no route)';
  return keys.length ? { method: req.method, route, queryKeys: keys } : { method: req.method, route };
}
