// Every route declares what it accepts and answers, and every API route is in the generated OpenAPI document. Routes
// are collected as they are registered (buildApp's onRoute), so a new route without its schemas fails here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { testConfig } from '../../server/config.ts';

/**
 * Converted on another branch (complaints, merchant, moderation: "schemas-a"); the lead empties this set after the
 * merge. A route listed here that already declares a schema fails the last test, so the list cannot go stale.
 */
const NOT_YET = new Set<string>([]);

interface Route {
  name: string;
  method: string;
  url: string;
  schema: Record<string, unknown>;
  config: Record<string, unknown>;
  reads: string;
}
interface Operation {
  summary?: string;
  parameters?: { in: string; name: string }[];
  responses: Record<string, unknown>;
}

const routes: Route[] = [];
let spec: { paths: Record<string, Record<string, Operation>> };
let close: () => Promise<void>;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wc-schemas-'));
  const onRoute = (r: RouteOptions) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue; // fastify's twin of each GET
      routes.push({
        name: `${method} ${r.url}`,
        method,
        url: r.url,
        schema: (r.schema ?? {}) as Record<string, unknown>,
        config: (r.config ?? {}) as Record<string, unknown>,
        reads: String(r.handler),
      });
    }
  };
  // TEST_CLOCK=1 so the test clock's route is checked too.
  const app = await buildApp(testConfig({ dataDir, uploadDir: join(dataDir, 'uploads'), testClock: true }), {
    onRoute,
  });
  await app.ready();
  spec = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  close = async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
});
afterAll(async () => close?.());

const converted = () => routes.filter((r) => !NOT_YET.has(r.name));
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');
const isApi = (r: Route) => r.url.startsWith('/api/v1/');
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

describe('every route declares its schemas', () => {
  it('sees the whole app', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.map((r) => r.name)).toContain('POST /api/v1/test/clock');
  });

  it('puts every /api/v1 route in the generated document, with its method, a summary and its path parameters', () => {
    const missing: string[] = [];
    for (const r of converted().filter(isApi)) {
      const op = spec.paths[openApiPath(r.url)]?.[r.method.toLowerCase()];
      if (!op?.summary) {
        missing.push(r.name);
        continue;
      }
      const inPath = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      expect(inPath, r.name).toEqual([...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]).sort());
    }
    expect(missing, 'API routes missing from /api/v1/openapi.json').toEqual([]);
  });

  it('declares a params schema for every route with a :param', () => {
    expect(
      converted()
        .filter((r) => r.url.includes(':') && !r.schema.params)
        .map((r) => r.name),
    ).toEqual([]);
  });

  it('declares a body schema for every write, unless it is multipart (read after auth) or reads no body (config.noBody)', () => {
    const lacking = converted().filter(
      (r) => WRITES.includes(r.method) && !r.schema.body && !r.config.multipart && !r.config.noBody,
    );
    expect(lacking.map((r) => r.name)).toEqual([]);
    // The exemptions are real: a route that says it reads no body does not read one.
    for (const r of converted().filter((x) => x.config.noBody))
      expect(r.reads, r.name).not.toMatch(/\bbody\(|\.body\b/);
  });

  it('declares the answer of every /api route: a 2xx response schema, also in the document', () => {
    const lacking = converted()
      .filter((r) => r.url.startsWith('/api/v1/'))
      .filter((r) => {
        const declared = Object.keys((r.schema.response ?? {}) as object).some((code) => /^2/.test(code));
        const documented = Object.keys(spec.paths[openApiPath(r.url)]?.[r.method.toLowerCase()]?.responses ?? {}).some(
          (code) => /^2/.test(code),
        );
        return !declared || !documented;
      });
    expect(lacking.map((r) => r.name)).toEqual([]);
  });

  it('declares the querystring of every page that reads the query', () => {
    const pages = converted().filter((r) => r.method === 'GET' && !isApi(r));
    expect(
      pages.filter((r) => /\b(req|request)\.query\b/.test(r.reads) && !r.schema.querystring).map((r) => r.name),
    ).toEqual([]);
    // The check can see a reader: the board's list page reads its filters.
    expect(pages.find((r) => r.url === '/cases')?.reads).toMatch(/req\.query/);
  });

  it('documents only the API and the downloads', () => {
    expect(Object.keys(spec.paths).filter((p) => !p.startsWith('/api/v1/') && !p.startsWith('/downloads/'))).toEqual(
      [],
    );
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/downloads/cases.csv', '/downloads/cases.jsonl']));
  });

  it('lists in NOT_YET only routes that exist and still lack every schema', () => {
    const names = new Set(routes.map((r) => r.name));
    expect(
      [...NOT_YET].filter((n) => !names.has(n)),
      'NOT_YET names no route',
    ).toEqual([]);
    const declared = routes.filter(
      (r) => NOT_YET.has(r.name) && ['params', 'querystring', 'body', 'response'].some((k) => r.schema[k]),
    );
    expect(
      declared.map((r) => r.name),
      'converted: remove from NOT_YET',
    ).toEqual([]);
  });
});
