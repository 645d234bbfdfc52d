// Where the files the server reads beside its code live (views, migrations). The same source runs from server/ (tsx,
// vitest) and compiled from dist/server/ (npm start), so they are found from the project root, not counted in `..`s.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root (package.json beside migrations/) above ${from}`);
  }
}

export const PROJECT_ROOT = projectRoot(import.meta.dirname);
export const VIEWS_DIR = join(PROJECT_ROOT, 'views');
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'migrations');
