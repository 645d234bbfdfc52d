// External plugin: the SQLite database (file or in-memory), migrated, closed with the app.
import fp from 'fastify-plugin';
import { openDatabase, transactionRunner, type Db, type Sqlite, type Transaction } from '../db/database.ts';
import { CHECKPOINT_INTERVAL_MS, WalCheckpointer } from '../db/checkpointer.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { StorageHealth } from '../db/storage-health.ts';
import { WalSync } from '../db/wal-sync.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    sqlite: Sqlite;
    transaction: Transaction;
    groupCommit: GroupCommit;
    storage: StorageHealth;
    walSync: WalSync;
  }
}

export default fp<{ path: string }>(
  async (app, opts) => {
    const { db, sqlite } = openDatabase(opts.path);
    // Storage failures seen by the error handler and the checkpointer; /readyz reads app.storage.health().
    const storage = new StorageHealth();
    app.decorate('storage', storage);
    app.decorate('db', db);
    app.decorate('sqlite', sqlite);
    app.decorate('transaction', transactionRunner(sqlite));
    const group = new GroupCommit(sqlite);
    app.decorate('groupCommit', group);
    const checkpointer =
      opts.path === ':memory:'
        ? null
        : new WalCheckpointer(opts.path, CHECKPOINT_INTERVAL_MS, (message, code) => {
            storage.record({ code, message });
            app.log.warn({ message, code }, 'WAL checkpoint failed');
          });
    checkpointer?.start();
    // An answer to a request that may have written goes out only once the WAL is on disk (db/wal-sync.ts).
    const walSync = new WalSync(opts.path === ':memory:' ? null : `${opts.path}-wal`);
    app.decorate('walSync', walSync);
    app.addHook('onSend', async (req, _reply, payload) => {
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
        try {
          await walSync.sync();
        } catch (err) {
          storage.record(err);
          throw err;
        }
      }
      return payload;
    });
    app.addHook('onClose', async () => {
      group.flush();
      await checkpointer?.stop();
      // Everything in the WAL goes into the database file before we go: the next start (or a backup copy of the file
      // alone) needs no recovery. TRUNCATE waits for readers, so it runs once every other connection is closed.
      if (checkpointer) {
        try {
          sqlite.pragma('wal_checkpoint(TRUNCATE)');
        } catch (err) {
          app.log.warn({ err }, 'final WAL checkpoint failed');
        }
      }
      sqlite.close();
      await walSync.close();
    });
  },
  { name: 'db' },
);
