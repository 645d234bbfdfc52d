// WAL checkpoints come from the checkpointer's thread, not from a commit: after a write far below the backstop
// threshold the main database file takes the new pages within a few seconds, and closing the app stops the thread.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKSTOP_PAGES } from '../../server/db/checkpointer.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('WAL checkpointer', () => {
  it('copies committed pages into the database file in the background', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-ckpt-'));
    const path = join(dir, 'app.sqlite');
    t = await makeApp({ dataDir: dir, databasePath: path });
    const sqlite = t.app.sqlite;
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    sqlite.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)');
    await new Promise((r) => setTimeout(r, 1500)); // the table's creation reaches the file
    const before = statSync(path).size;
    const insert = sqlite.prepare('INSERT INTO filler (text) VALUES (?)');
    sqlite.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('填充'.repeat(500));
    })(); // ~6 MB, ~1,500 pages
    // The commit itself cannot checkpoint (its ~1,500 pages are far below the backstop asserted above); whether the
    // thread has already copied them by the time this line runs depends on the machine's load, so it is not asserted.
    expect(statSync(join(dir, 'app.sqlite-wal')).size).toBeGreaterThan(0); // the commit went to the WAL
    const deadline = Date.now() + 15_000;
    // The file grows as the thread copies pages (a busy machine may see it part-way): wait for the whole of it.
    while (statSync(path).size <= before + 4 * 1024 * 1024 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(statSync(path).size).toBeGreaterThan(before + 4 * 1024 * 1024);
  });
});
