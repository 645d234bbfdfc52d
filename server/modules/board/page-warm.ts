// After the search warm-up and before readiness says ready, the public pages a reader opens first are asked for a few
// times in-process (app.inject): their templates get compiled, their code optimised by V8 and their statements
// prepared while nobody waits, rather than by the first dozen readers at once. Measured at 1,000,000 cases under
// mixed load: without it, the first second answered case pages and similar cases in 0.5–0.8 s.
import type { FastifyInstance } from 'fastify';
import type { Sqlite } from '../../db/database.ts';
import { queryWords } from '../search/segment.ts';

/** The address the warm-up's requests come from (TEST-NET-1, RFC 5737): no real client's rate-limit bucket pays. */
export const WARM_ADDRESS = '192.0.2.1';
/** Each page is asked for this many times, with as many different cases. */
const ROUNDS = 3;

/** The paths asked for, from the newest public cases (none on an empty board: only the lists then). */
export function warmPaths(sqlite: Sqlite): string[] {
  const newest = sqlite
    .prepare('SELECT complaint_id AS id, doc FROM public_cases ORDER BY filed_at DESC, complaint_id DESC LIMIT ?')
    .all(ROUNDS) as { id: number; doc: string }[];
  const paths = ['/', '/cases', '/api/v1/cases?sort=newest&pageSize=50'];
  for (const { id, doc } of newest) {
    const word = queryWords((JSON.parse(doc) as { title?: string }).title ?? '')[0];
    paths.push(`/cases/${id}`, `/api/v1/cases/${id}`, `/api/v1/cases/${id}/similar`, `/cases/${id}/similar`);
    if (word) paths.push(`/api/v1/cases?q=${encodeURIComponent(word)}`, `/cases?q=${encodeURIComponent(word)}`);
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
