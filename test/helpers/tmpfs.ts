// A small real file system for disk-failure tests: a tmpfs that can be filled to ENOSPC or remounted read-only.
// Needs root and mount rights (true in this project's test container); mountTmpfs() returns null where they are
// missing, and the tests that need it are skipped there.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  dir: string;
  fill(): void;
  readOnly(): void;
  unmount(): void;
}

export function mountTmpfs(sizeKb = 4096): Tmpfs | null {
  const dir = mkdtempSync(join(tmpdir(), 'wc-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    fill() {
      // writes until the file system answers ENOSPC
      const fd = openSync(join(dir, 'filler'), 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    readOnly() {
      execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' });
    },
    unmount() {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const canMount = (() => {
  const t = mountTmpfs(64);
  t?.unmount();
  return t !== null;
})();
