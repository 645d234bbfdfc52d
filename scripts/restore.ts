// npm run restore -- SRC [--force]: restores a backup into the STOPPED service's DATA_DIR (DATABASE_PATH, UPLOAD_DIR).
// Refuses a damaged backup, a data directory in use, and a non-empty one without --force.
import { parseArgs } from 'node:util';
import { dataPaths } from '../server/config.ts';
import { restoreBackup } from '../server/db/backup/restore.ts';
import { BackupError } from '../server/db/backup/manifest.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { force: { type: 'boolean', default: false } },
});
if (positionals.length !== 1) {
  console.error('usage: npm run restore -- SRC [--force]   (restores into DATA_DIR; the service must be stopped)');
  process.exit(2);
}
try {
  const paths = dataPaths();
  const m = await restoreBackup(positionals[0]!, paths, { force: values.force });
  console.log(`restored the backup of ${m.createdAt} into ${paths.dataDir}: checksums and integrity_check ok`);
  console.log(
    `  ${m.database.rowCounts.complaints ?? 0} complaints, ${m.uploads.files} uploads; start the service now`,
  );
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(err.message);
  process.exit(1);
}
