// Where the service keeps its data, whether it may write there, and the session secret kept beside the database.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createSessionSecret, probeWritable, readSessionSecret } from './lib/data-dir.ts';
import type { Env } from './lib/env-readers.ts';

/** The session secret is generated once and kept beside the database so restarts keep sessions valid. */
export function sessionSecretFor(
  env: Env,
  paths: DataPaths,
  inMemory: boolean,
  canWrite: boolean,
  problems: string[],
): string {
  const given = env.SESSION_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) problems.push('SESSION_SECRET must be at least 32 characters');
    return given;
  }
  if (inMemory) return randomBytes(32).toString('hex');
  const file = paths.sessionSecretFile;
  if (!existsSync(file) && !canWrite) return ''; // the data directory's problem is already reported
  const kept = existsSync(file) ? readSessionSecret(file) : createSessionSecret(file);
  if ('problem' in kept) {
    problems.push(kept.problem);
    return '';
  }
  return kept.secret;
}

/** Where the service keeps its data; also what backup and restore read, without creating anything. */
export interface DataPaths {
  dataDir: string;
  databasePath: string;
  uploadDir: string;
  sessionSecretFile: string;
}

export function dataPaths(env: Env = process.env): DataPaths {
  const dataDir = resolve(env.DATA_DIR || './data');
  return {
    dataDir,
    databasePath:
      env.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(env.DATABASE_PATH || join(dataDir, 'complaints.sqlite')),
    uploadDir: resolve(env.UPLOAD_DIR || join(dataDir, 'uploads')),
    sessionSecretFile: join(dataDir, 'session-secret'),
  };
}

/** A full disk or read-only directory stops the start here, with the directory named, rather than at the first write. */
export function checkWritable(paths: DataPaths, problems: string[]): boolean {
  const dirs: [string, string][] = [
    [paths.dataDir, 'DATA_DIR'],
    [dirname(paths.databasePath), "DATABASE_PATH's directory"],
    [paths.uploadDir, 'UPLOAD_DIR'],
  ];
  const seen = new Set<string>();
  let dataDirOk = true;
  for (const [dir, variable] of dirs) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    const problem = probeWritable(dir, variable);
    if (problem) {
      problems.push(problem);
      if (dir === paths.dataDir) dataDirOk = false;
    }
  }
  return dataDirOk;
}
