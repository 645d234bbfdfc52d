// App plugin: the readiness registry with ops' own checks. Other modules add theirs with app.readiness.add().
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import fp from 'fastify-plugin';
import { MIGRATIONS_DIR } from '../../db/database.ts';
import { databaseWritable, diskSpace, migrationsCurrent } from './checks.ts';
import { readinessRegistry, type Readiness } from './readiness.ts';

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

/** DATA_DIR itself, or the nearest existing folder above it (an in-memory run never creates it). */
function existingDir(dir: string): string {
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export default fp(
  async (app) => {
    const readiness = readinessRegistry();
    readiness.add('database', databaseWritable(app.sqlite));
    readiness.add('disk', diskSpace(existingDir(app.config.dataDir), app.config.readiness.minFreeDiskBytes));
    readiness.add('migrations', migrationsCurrent(app.sqlite, MIGRATIONS_DIR));
    // A write that failed for a full disk or a read-only file system in the last minute (the error handler saw it).
    readiness.add('storage', () => {
      const h = app.storage.health();
      return h.ok ? null : h.reason;
    });
    readiness.add('pressure', () => {
      if (app.pressureNow() === null) return null;
      const m = app.memoryUsage();
      return `服务器负载过高（事件循环延迟 ${Math.round(m.eventLoopDelay)} 毫秒，堆内存 ${Math.round(m.heapUsed / 2 ** 20)} MiB，RSS ${Math.round(m.rssBytes / 2 ** 20)} MiB）`;
    });
    app.decorate('readiness', readiness);
  },
  { name: 'readiness', dependencies: ['db', 'pressure'] },
);
