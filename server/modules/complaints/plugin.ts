// App plugin: complaint verbs with their attachment store and upload limits.
import fp from 'fastify-plugin';
import { AttachmentStore } from './attachment-store.ts';
import { ComplaintHooks } from './hooks.ts';
import type { UploadLimits } from './prepare-files.ts';
import { complaintService, type ComplaintService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance { complaints: ComplaintService; complaintHooks: ComplaintHooks }
}

export default fp<{ uploadDir: string; limits: UploadLimits }>(async (app, opts) => {
  const hooks = new ComplaintHooks();
  app.decorate('complaintHooks', hooks);
  app.decorate('complaints', complaintService({
    db: app.db, sqlite: app.sqlite, groupCommit: app.groupCommit, providers: app.providers, store: new AttachmentStore(opts.uploadDir), limits: opts.limits, hooks,
  }));
}, { name: 'complaints', dependencies: ['db', 'providers'] });
