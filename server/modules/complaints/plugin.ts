// App plugin: complaint verbs with their attachment store and upload limits.
import fp from 'fastify-plugin';
import { AttachmentStore } from './attachment-store.ts';
import { complaintService, type ComplaintService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance { complaints: ComplaintService }
}

export default fp<{ uploadDir: string; limits: { maxFileBytes: number; maxFiles: number } }>(async (app, opts) => {
  app.decorate('complaints', complaintService({
    db: app.db, providers: app.providers, store: new AttachmentStore(opts.uploadDir), limits: opts.limits,
  }));
}, { name: 'complaints', dependencies: ['db', 'providers'] });
