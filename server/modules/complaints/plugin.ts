// App plugin: complaint verbs with their attachment store and upload limits, and the timeline's one writer, which
// other modules (deadlines, deliveries, moderation) record through.
import fp from 'fastify-plugin';
import { AttachmentStore } from './attachment-store.ts';
import { ComplaintHooks } from './hooks.ts';
import { PendingUploads } from './pending-uploads.ts';
import type { UploadLimits } from './prepare-files.ts';
import { complaintService, type ComplaintService } from './service.ts';
import { timeline, type Timeline } from './timeline.ts';

declare module 'fastify' {
  interface FastifyInstance {
    complaints: ComplaintService;
    complaintHooks: ComplaintHooks;
    timeline: Timeline;
    /** The one store of attachment files, shared by intake and the lifecycle's supplements. */
    attachmentStore: AttachmentStore;
    /** Files kept for a filing form that came back (pending-uploads.ts). */
    pendingUploads: PendingUploads;
  }
}

export default fp<{ uploadDir: string; limits: UploadLimits }>(
  async (app, opts) => {
    const hooks = new ComplaintHooks();
    app.decorate('complaintHooks', hooks);
    app.decorate('timeline', timeline(app.db));
    app.decorate('attachmentStore', new AttachmentStore(opts.uploadDir));
    const pending = new PendingUploads(opts.uploadDir, app.config.sessionSecret, app.attachmentStore, app.clock);
    app.decorate('pendingUploads', pending);
    // Held files of forms never finished go after a day: at start, then hourly.
    const sweep = () => {
      pending.sweep().catch((err) => app.log.error({ err }, 'pending upload sweep failed'));
    };
    const timers: NodeJS.Timeout[] = [];
    app.addHook('onReady', async () => {
      sweep();
      timers.push(setInterval(sweep, 3600_000).unref());
    });
    app.addHook('onClose', async () => {
      for (const t of timers) clearInterval(t);
    });
    app.decorate(
      'complaints',
      complaintService({
        db: app.db,
        sqlite: app.sqlite,
        groupCommit: app.groupCommit,
        providers: app.providers,
        store: app.attachmentStore,
        limits: opts.limits,
        hooks,
        timeline: app.timeline,
      }),
    );
  },
  { name: 'complaints', dependencies: ['db', 'providers'] },
);
