// After the search warm-up and before readiness says ready, the public pages a reader opens first are asked for a few
// times in-process (app.inject): their templates get compiled, their code optimised by V8 and their statements
// prepared while nobody waits, rather than by the first dozen readers at once. Measured at 1,000,000 cases under
// mixed load: without it, the first second answered case pages and similar cases in 0.5–0.8 s. Then the similar cases'
// outcome index is read into the page cache (warmOutcomeIndex).
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

/** Case ids per step of warmOutcomeIndex: about 10 ms of reading each, cold, at 1,000,000 cases. */
export const OUTCOME_WARM_SLICE = 20_000;

/**
 * Reads the outcome index (public_cases_outcome_idx: the status and outcome shown beside every similar case) into this
 * connection's page cache, a slice of case ids at a time, yielding between. At 1,000,000 cases the index is 36 MB
 * (the cache holds 64) and a similar-cases panel reads 50 entries spread over it: right after start the first hundred
 * panels cost 2.2 ms each in that read against 0.3 once warm, on the request thread, in the first seconds of traffic.
 * Answers how many entries it read.
 */
export async function warmOutcomeIndex(sqlite: Sqlite, slice = OUTCOME_WARM_SLICE): Promise<number> {
  const { lo, hi } = sqlite
    .prepare('SELECT min(complaint_id) AS lo, max(complaint_id) AS hi FROM public_cases')
    .get() as { lo: number | null; hi: number | null };
  if (lo === null || hi === null) return 0;
  const read = sqlite.prepare(
    'SELECT count(*) AS n FROM public_cases INDEXED BY public_cases_outcome_idx WHERE complaint_id BETWEEN ? AND ?',
  );
  let entries = 0;
  for (let from = lo; from <= hi; from += slice) {
    entries += (read.get(from, from + slice - 1) as { n: number }).n;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return entries;
}
