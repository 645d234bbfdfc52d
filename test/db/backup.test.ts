// Backup while complaints with attachments are being filed, restore into a fresh directory, and the refusals.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { dataPaths, testConfig, type DataPaths } from '../../server/config.ts';
import { takeBackup } from '../../server/db/backup/backup.ts';
import type { Manifest } from '../../server/db/backup/manifest.ts';
import { restoreBackup, verifyBackup } from '../../server/db/backup/restore.ts';
import { TestClock } from '../../server/lib/clock.ts';
import { T0 } from '../helpers/app.ts';
import { complaintInput, consumer } from '../helpers/factories.ts';
import { png } from '../helpers/files.ts';

const asFields = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
const SECRET = 'kept-secret-'.repeat(4);

let root: string;
let app: FastifyInstance | null;
const pathsIn = (dir: string): DataPaths => dataPaths({ DATA_DIR: dir });

/** The service on a real file database in DATA_DIR, with a kept session secret, as `npm start` lays it out. */
async function service(dir: string): Promise<FastifyInstance> {
  const p = pathsIn(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(p.sessionSecretFile, SECRET, { mode: 0o600 });
  const a = await buildApp(testConfig({ dataDir: dir, databasePath: p.databasePath, uploadDir: p.uploadDir }), {
    clock: new TestClock(() => T0, T0),
  });
  await a.ready();
  return a;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wc-backup-'));
  app = null;
});
afterEach(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('a backup taken while complaints with attachments are filed restores every complaint acknowledged before it, with its files', async () => {
    const live = join(root, 'live');
    app = await service(live);
    const c = await consumer(app);
    const acknowledged: number[] = [];
    let i = 0;
    let filing = true;
    const fileOne = async () => {
      const n = i++;
      const res = await c.multipart(
        '/api/v1/complaints',
        asFields(complaintInput({ title: `备份期间提交的投诉 ${n}` })),
        [{ filename: `p${n}.png`, data: png({ w: 2 + (n % 50), h: 3 + Math.floor(n / 50), color: [n % 256, 7, 9] }) }],
      );
      if (res.statusCode !== 201) throw new Error(`filing failed: ${res.body}`);
      acknowledged.push(res.json().id);
    };
    for (let k = 0; k < 15; k++) await fileOne();
    const loop = (async () => {
      while (filing) await fileOne();
    })();

    // `npm run backup` in its own process, as an operator runs it, while this process keeps filing.
    const before = [...acknowledged];
    const cli = spawn(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', join(root, 'backup')], {
      env: { ...process.env, DATA_DIR: live },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.on('data', (d) => {
      output += d;
    });
    cli.stderr.on('data', (d) => {
      output += d;
    });
    const status = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    const duringBackup = acknowledged.length - before.length;
    filing = false;
    await loop;

    expect(status, output).toBe(0);
    expect(duringBackup).toBeGreaterThan(0); // the service kept filing while the backup ran
    const manifest = JSON.parse(readFileSync(join(root, 'backup', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.problems).toEqual([]);
    expect(manifest.database.integrity).toBe('ok');
    expect(manifest.database.rowCounts.complaints).toBeGreaterThanOrEqual(before.length);
    expect(manifest.uploads.files).toBeGreaterThanOrEqual(manifest.database.rowCounts.attachments!); // files of later filings too
    await app.close();
    app = null;

    const fresh = join(root, 'fresh');
    await restoreBackup(join(root, 'backup'), pathsIn(fresh));
    const p = pathsIn(fresh);
    const db = new Database(p.databasePath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const has = db.prepare('SELECT 1 FROM complaints WHERE id = ?').pluck();
      expect(before.filter((id) => !has.get(id))).toEqual([]);
      const files = db.prepare('SELECT sha256 FROM attachments').pluck().all() as string[];
      expect(files.length).toBe(manifest.database.rowCounts.complaints);
      for (const sha of files)
        expect(
          createHash('sha256')
            .update(readFileSync(join(p.uploadDir, sha.slice(0, 2), sha)))
            .digest('hex'),
        ).toBe(sha);
    } finally {
      db.close();
    }
    expect(readFileSync(p.sessionSecretFile, 'utf8')).toBe(SECRET);

    app = await buildApp(testConfig({ dataDir: fresh, databasePath: p.databasePath, uploadDir: p.uploadDir }));
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('refuses to restore into the data directory of a running service (another process holds the database)', async () => {
    const live = join(root, 'live');
    app = await service(live);
    await takeBackup(pathsIn(live), join(root, 'backup'));
    await expect(restoreBackup(join(root, 'backup'), pathsIn(live), { force: true })).rejects.toThrow(
      /is open in a running process/,
    );
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/restore.ts', join(root, 'backup'), '--force'],
      { env: { ...process.env, DATA_DIR: live }, encoding: 'utf8' },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(`refusing to restore: ${pathsIn(live).databasePath} is open in a running process`);
    expect(cli.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses a corrupted backup (checksum mismatch) and writes nothing', async () => {
    const live = join(root, 'live');
    app = await service(live);
    const c = await consumer(app);
    await c.multipart('/api/v1/complaints', asFields(complaintInput()), [{ filename: 'a.png', data: png() }]);
    await takeBackup(pathsIn(live), join(root, 'backup'));
    expect((await verifyBackup(join(root, 'backup'))).problems).toEqual([]);

    const dbFile = join(root, 'backup', 'complaints.sqlite');
    const bytes = readFileSync(dbFile);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(dbFile, bytes);
    const fresh = join(root, 'fresh');
    await expect(restoreBackup(join(root, 'backup'), pathsIn(fresh))).rejects.toThrow(
      /the backup is damaged:[\s\S]*complaints\.sqlite: checksum mismatch/,
    );
    expect(existsSync(fresh) ? readdirSync(fresh) : []).toEqual([]);

    bytes[bytes.length - 100] ^= 0xff; // database repaired, an upload damaged instead
    writeFileSync(dbFile, bytes);
    const shard = readdirSync(join(root, 'backup', 'uploads'))[0]!;
    const upload = join(root, 'backup', 'uploads', shard, readdirSync(join(root, 'backup', 'uploads', shard))[0]!);
    writeFileSync(upload, Buffer.concat([readFileSync(upload), Buffer.from('x')]));
    await expect(restoreBackup(join(root, 'backup'), pathsIn(fresh))).rejects.toThrow(/checksum mismatch/);
  });

  it('refuses a non-empty data directory without --force, and replaces it with --force', async () => {
    const live = join(root, 'live');
    app = await service(live);
    await takeBackup(pathsIn(live), join(root, 'backup'));
    await app.close();
    app = null;
    await expect(restoreBackup(join(root, 'backup'), pathsIn(live))).rejects.toThrow(/is not empty.*--force/);
    await restoreBackup(join(root, 'backup'), pathsIn(live), { force: true });
    expect(existsSync(`${pathsIn(live).databasePath}-wal`)).toBe(false);
  });

  it('refuses a destination that is not empty, and leaves no partial folder behind', async () => {
    const live = join(root, 'live');
    app = await service(live);
    await takeBackup(pathsIn(live), join(root, 'backup'));
    await expect(takeBackup(pathsIn(live), join(root, 'backup'))).rejects.toThrow(/is not empty/);
    expect(readdirSync(root).sort()).toEqual(['backup', 'live']);
  });
});
