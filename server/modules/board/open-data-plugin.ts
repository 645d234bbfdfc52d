// App plugin: open data at scale, on app.openData. The whole-board files (built by a worker thread from a database
// file; with an in-memory database there is none, and the downloads say so), filtered exports (read and formatted in a
// thread of their own from a database file, in slices here otherwise), and the rule that one client runs one at a time.
import fp from 'fastify-plugin';
import { join } from 'node:path';
import { ExportFiles } from './export-files.ts';
import { filteredExports, type FilteredExports } from './filtered-export.ts';
import { FilteredExportThread } from './filtered-export-thread.ts';

export interface OpenData {
  /** Null when the service keeps no files: in-memory database, or background work off (WORKERS=off). */
  files: ExportFiles | null;
  filtered: FilteredExports;
  /** Reserves the one filtered export a client may run; null while it already runs one. Release exactly once. */
  claim(client: string): (() => void) | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    openData: OpenData;
  }
}

export default fp(
  async (app) => {
    const { config } = app;
    const files =
      config.databasePath === ':memory:' || !config.workers
        ? null
        : new ExportFiles({
            databasePath: config.databasePath,
            dir: join(config.dataDir, 'exports'),
            baseUrl: config.publicUrl,
            rebuildMs: config.exports.rebuildMs,
            clock: app.clock,
            onError: (message) => app.log.error({ message }, 'open-data export failed'),
          });
    if (files) {
      app.board.onPublicChange(() => files.markChanged());
      app.addHook('onReady', async () => {
        files.start();
      });
      app.addHook('onClose', async () => {
        await files.stop();
      });
    }

    // Filtered exports read and format in a thread of their own whenever the database is a file (started on the first
    // export): they serve requests, so WORKERS (background work) does not turn it off.
    const thread =
      config.databasePath === ':memory:'
        ? null
        : new FilteredExportThread({
            databasePath: config.databasePath,
            baseUrl: config.publicUrl,
            onError: (message) => app.log.error({ message }, 'filtered export failed'),
          });
    if (thread)
      app.addHook('onClose', async () => {
        await thread.stop();
      });

    const running = new Set<string>();
    app.decorate('openData', {
      files,
      filtered: filteredExports({
        sqlite: app.sqlite,
        reader: app.board.reader,
        baseUrl: config.publicUrl,
        maxRows: config.exports.maxRows,
        thread,
        providerId: (slug) => app.providers.publicBySlug(slug)?.id ?? null,
      }),
      claim(client) {
        if (running.has(client)) return null;
        running.add(client);
        let held = true;
        return () => {
          if (held) {
            held = false;
            running.delete(client);
          }
        };
      },
    } satisfies OpenData);
  },
  { name: 'open-data', dependencies: ['db', 'clock', 'providers', 'board'] },
);
