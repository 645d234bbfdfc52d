// After the search warm-up and before readiness says ready, the public pages a reader opens first are asked for a few
// times in-process (app.inject): their templates get compiled, their code optimised by V8 and their statements
// prepared while nobody waits, rather than by the first dozen readers at once. Measured at 1,000,000 cases under
// mixed load: without it, the first second answered case pages and similar cases in 0.5–0.8 s.
import type { FastifyInstance } from 'fastify';
import type { Sqlite } from '../../db/database.ts';
import { queryWords } from '../search/segment.ts';

/** The address the warm-up's requests come from (TEST-NET-1, RFC 5737): no real client's rate-limit bucket pays. */
export const WARM_ADDRESS = '192.0.2.1';
/**
 * Each page is asked for this many times, with as many different cases. Three were enough for templates and
 * statements, not for V8: at 1,000,000 cases the first two seconds of mixed load still ran the request thread flat out
 * (98 % busy against 78 % later) on code not yet optimised, and answered in 0.3–0.5 s.
 */
const ROUNDS = 16;

/** The paths asked for, from the newest public cases (none on an empty board: only the lists then). */
export function warmPaths(sqlite: Sqlite): string[] {
  const newest = sqlite
    .prepare('SELECT complaint_id AS id, doc FROM public_cases ORDER BY filed_at DESC, complaint_id DESC LIMIT ?')
    .all(ROUNDS) as { id: number; doc: string }[];
  const paths = ['/', '/cases', '/api/v1/cases?sort=newest&pageSize=50'];
  for (const { id, doc } of newest) {
    const words = queryWords((JSON.parse(doc) as { title?: string }).title ?? '');
    paths.push(`/cases/${id}`, `/api/v1/cases/${id}`, `/api/v1/cases/${id}/similar`, `/cases/${id}/similar`);
    // One word and two (searches of several words take another path through the index).
    for (const q of [words.slice(0, 1), words.slice(0, 2)].filter((w) => w.length).map((w) => w.join(' ')))
      paths.push(`/api/v1/cases?q=${encodeURIComponent(q)}`, `/cases?q=${encodeURIComponent(q)}`);
  }
  return paths;
}

/** Asks for each path once, in turn (yielding between them); answers how many were asked for. */
export async function warmPages(app: FastifyInstance, paths: string[]): Promise<number> {
  for (const url of paths) {
    await app.inject({ method: 'GET', url, remoteAddress: WARM_ADDRESS });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return paths.length;
}
