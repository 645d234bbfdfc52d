// npm run backup -- DEST: a consistent online copy of the database, uploads and session secret, with a manifest.
// Reads DATA_DIR / DATABASE_PATH / UPLOAD_DIR as the service does; safe while the service runs.
import { parseArgs } from 'node:util';
import { dataPaths } from '../server/config.ts';
import { takeBackup } from '../server/db/backup/backup.ts';
import { BackupError } from '../server/db/backup/manifest.ts';

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
if (positionals.length !== 1) {
  console.error(
    'usage: npm run backup -- DEST   (DEST: a new or empty directory, e.g. /backups/complaints-$(date +%F))',
  );
  process.exit(2);
}
try {
  const started = Date.now();
  const m = await takeBackup(dataPaths(), positionals[0]!);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(`backup written to ${positionals[0]} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(
    `  database ${mb(m.database.bytes)} MB, integrity ${m.database.integrity}, ${m.database.rowCounts.complaints ?? 0} complaints`,
  );
  console.log(
    `  uploads ${m.uploads.files} files, ${mb(m.uploads.bytes)} MB; session secret ${m.sessionSecret ? 'included' : 'none (SESSION_SECRET set?)'}`,
  );
  if (m.problems.length) {
    console.error(`backup finished with problems:\n  - ${m.problems.join('\n  - ')}`);
    process.exit(1);
  }
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(`backup failed: ${err.message}`);
  process.exit(1);
}
